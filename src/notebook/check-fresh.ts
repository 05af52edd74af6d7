/**
 * `checkFresh`, hidden tests at fresh inputs, lives in check.ts with the other check helpers: it
 * reports its verdicts to the grader's listener and takes the same intrinsics they do.
 */
export { checkFresh, type FreshCase } from "./check.js";
