/**
 * Which lesson a submission is graded against, which files are read at all, and which verdict
 * records count: the parts of `npm run check` that need no kernel.
 */
import * as crypto from "node:crypto";
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Notebook } from "../../src/ipynb/notebook";
import { readNotebook } from "../../src/ipynb/read";
import { findLesson, readSubmission, readVerdicts } from "../../src/tools/check";

const FIXTURES = join(__dirname, "..", "fixtures", "exercises");
const stamped = (lesson: unknown): Notebook => {
  const nb = readNotebook(join(FIXTURES, "solved.ipynb"));
  nb.metadata = { ...nb.metadata, micrograd_ts: { lesson } };
  return nb;
};

describe("findLesson", () => {
  it("a stamp names a lesson in the lessons folder", () => {
    expect(findLesson(stamped("solved"), "/home/x/Downloads/solved.ipynb", FIXTURES)).toEqual({ file: join(FIXTURES, "solved.ipynb"), name: "solved" });
  });

  it("a stamp that is a path is refused, even when the file exists", () => {
    for (const bad of ["../exercises/solved", "../../fixtures/exercises/solved", "/etc/passwd", "sub/solved", "..", "", 42]) {
      expect(() => findLesson(stamped(bad), "mine.ipynb", FIXTURES)).toThrow(/which is not a lesson's name \(a lesson is named, never a path\): refusing to grade it/);
    }
  });

  it("a file name that disagrees with the stamp is reported, and the stamp wins", () => {
    const found = findLesson(stamped("solved"), "/tmp/08-moons.ipynb", FIXTURES);
    expect(found.name).toBe("solved");
    expect(found.note).toBe("the file is named 08-moons.ipynb but its metadata says it is a copy of solved: graded against solved");
  });

  it("without a stamp, the file name; a stamp naming no lesson is an error", () => {
    const nb = readNotebook(join(FIXTURES, "solved.ipynb"));
    expect(findLesson(nb, "/elsewhere/mixed.ipynb", FIXTURES).name).toBe("mixed");
    expect(() => findLesson(stamped("09-nothing"), "x.ipynb", FIXTURES)).toThrow('its metadata names the lesson "09-nothing", and there is no 09-nothing.ipynb in');
  });
});

describe("readSubmission", () => {
  let dir = "";
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "micrograd-sub-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("refuses a symbolic link without reading (or showing) what it points at", () => {
    const link = join(dir, "solved.ipynb");
    symlinkSync("/etc/passwd", link);
    let message = "";
    try {
      readSubmission(link);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe(`${link}: is a symbolic link: refusing to grade it (grade the notebook file itself)`);
    expect(message).not.toContain("root:");
  });

  it("reads a plain file", () => {
    const file = join(dir, "solved.ipynb");
    writeFileSync(file, JSON.stringify(readNotebook(join(FIXTURES, "solved.ipynb"))));
    expect(readSubmission(file).cells.length).toBe(8);
  });
});

describe("readVerdicts", () => {
  let dir = "";
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "micrograd-rec-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const secret = crypto.randomBytes(32);
  const line = (key: Buffer, nonce: string, verdict: string, detail = "") => {
    const body = `${nonce} ${verdict} ${Buffer.from(detail).toString("base64")}`;
    return `${body} ${crypto.createHmac("sha256", key).update(body).digest("hex")}`;
  };
  const a = "a".repeat(32);
  const b = "b".repeat(32);
  const c = "c".repeat(32);

  it("counts only records signed with the run's secret, for this run's nonces", () => {
    const file = join(dir, "records");
    writeFileSync(
      file,
      [
        line(secret, a, "pass"),
        line(crypto.randomBytes(32), b, "pass"), // forged: another key
        `${b} pass  ${"0".repeat(64)}`,
        line(secret, "d".repeat(32), "pass"), // not a nonce of this run
        line(secret, c, "pass"),
        line(secret, c, "tampered", "Math.abs was replaced"), // the worst record wins
        "",
      ].join("\n"),
    );
    const v = readVerdicts(file, secret, new Map([[a, 3], [b, 5], [c, 7]]));
    expect([...v.entries()]).toEqual([
      [3, { verdict: "pass", detail: "" }],
      [7, { verdict: "tampered", detail: "Math.abs was replaced" }],
    ]);
  });

  it("no record file: nothing passed", () => {
    expect(readVerdicts(join(dir, "none"), secret, new Map([[a, 1]])).size).toBe(0);
  });
});
