/**
 * The class outputs of `npm run check`, from synthetic per-submission results: the gradebook
 * (CSV, JSON), Gradescope's results.json (against the fields its autograder specification
 * documents) and JUnit XML (read back by a real XML parser: Python's expat), and how submissions
 * are found. Hostile names and messages must stay data.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { type GradedSubmission, classOutputs, gradebook, gradebookCsv, gradebookJson, gradescopeResults, junitXml, learnerOf, xmlText } from "../../src/tools/gradebook";
import { expandNotebooks, glob } from "../../src/tools/submissions";
import { parseCheckArgs } from "../../src/tools/check";

const ex = (gradeId: string, points: number, status: GradedSubmission["exercises"][number]["status"], message?: string) => ({ gradeId, points, status, ...(message ? { message } : {}) });
const lesson1 = "/course/notebooks/01-derivatives.ipynb";
const lesson2 = "/course/notebooks/02-value.ipynb";
const results: GradedSubmission[] = [
  { notebook: "class/alice/01-derivatives.ipynb", lesson: lesson1, notes: [], exercises: [ex("analytic-grad", 2, "pass"), ex("forward-diff", 1, "fail", "CheckError: ✗ df/da: expected -3, got 3\n(more)")], earned: 2, total: 3 },
  { notebook: "class/alice/02-value.ipynb", lesson: lesson2, notes: ["a check cell was changed: graded with the lesson's"], exercises: [ex("build-expr", 1, "pass")], earned: 1, total: 1 },
  { notebook: 'class/=HYPERLINK("evil.example","y")/01-derivatives.ipynb', lesson: lesson1, notes: [], exercises: [ex("analytic-grad", 2, "timeout", "timed out after 60 s"), ex("forward-diff", 1, "not-run", "not run")], earned: 0, total: 3 },
  { notebook: "class/bob.ipynb", lesson: lesson1, notes: [], exercises: [ex("analytic-grad", 2, "fail", 'Error: <script>alert("x")</script> & \u0000\u001b[31m'), ex("forward-diff", 1, "pass")], earned: 1, total: 3 },
  { notebook: "class/carol/01-derivatives.ipynb", error: "class/carol/01-derivatives.ipynb is not a notebook: invalid JSON at line 1, column 2", exercises: [], earned: 0, total: 0 },
];

describe("gradebook(results)", () => {
  it("learners by folder (a lesson's file name) or by file; columns per lesson's exercise; a missing lesson counts 0", () => {
    expect(results.map((r) => learnerOf(r, new Set(["01-derivatives", "02-value"])))).toEqual(["alice", "alice", '=HYPERLINK("evil.example","y")', "bob", "carol"]);
    expect(learnerOf(results[4]!)).toBe("01-derivatives"); // alone, nothing says it is a lesson's file
    const book = gradebook(results);
    expect(book.lessons).toEqual([
      { lesson: "01-derivatives", exercises: [{ gradeId: "analytic-grad", points: 2 }, { gradeId: "forward-diff", points: 1 }] },
      { lesson: "02-value", exercises: [{ gradeId: "build-expr", points: 1 }] },
    ]);
    expect(book.learners.map((l) => [l.learner, l.earned, l.total])).toEqual([
      ['=HYPERLINK("evil.example","y")', 0, 4],
      ["alice", 3, 4],
      ["bob", 1, 4],
      ["carol", 0, 4],
    ]);
  });

  it("CSV: a row per learner, a column per exercise; formulas and quotes stay text", () => {
    expect(gradebookCsv(gradebook(results)).split("\r\n")).toEqual([
      "learner,01-derivatives/analytic-grad (2),01-derivatives/forward-diff (1),02-value/build-expr (1),earned,possible,problems",
      '"\'=HYPERLINK(""evil.example"",""y"")",0,0,,0,4,',
      "alice,2,0,1,3,4,",
      "bob,0,1,,1,4,",
      'carol,,,,0,4,"class/carol/01-derivatives.ipynb is not a notebook: invalid JSON at line 1, column 2"',
      "",
    ]);
  });

  it("a lesson handed in twice: the later file counts, and the learner's row says so", () => {
    const twice = gradebook([results[0]!, { ...results[0]!, notebook: "class/alice/again/../01-derivatives.ipynb", earned: 3, exercises: [ex("analytic-grad", 2, "pass"), ex("forward-diff", 1, "pass")] }]);
    expect(twice.learners[0]!.earned).toBe(3);
    expect(twice.learners[0]!.problems).toEqual(["01-derivatives handed in twice: class/alice/01-derivatives.ipynb and class/alice/again/../01-derivatives.ipynb; graded class/alice/again/../01-derivatives.ipynb"]);
  });

  it("JSON: every verdict and message, per learner and submission", () => {
    const json = JSON.parse(gradebookJson(gradebook(results), results));
    const alice = json.learners.find((l: { learner: string }) => l.learner === "alice");
    expect(alice.submissions.map((s: { lesson: string; earned: number; total: number }) => [s.lesson, s.earned, s.total])).toEqual([["01-derivatives", 2, 3], ["02-value", 1, 1]]);
    expect(alice.submissions[0].exercises[1]).toEqual({ gradeId: "forward-diff", points: 1, status: "fail", message: "CheckError: ✗ df/da: expected -3, got 3\n(more)" });
    expect(alice.submissions[1].notes).toEqual(["a check cell was changed: graded with the lesson's"]);
  });
});

/** The fields Gradescope's autograder specification documents for results.json, and their values. */
function gradescopeProblems(r: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const top = ["score", "execution_time", "output", "output_format", "test_output_format", "test_name_format", "visibility", "stdout_visibility", "extra_data", "tests", "leaderboard"];
  const test = ["score", "max_score", "status", "name", "name_format", "number", "output", "output_format", "tags", "visibility", "extra_data"];
  const visibility = ["hidden", "after_due_date", "after_published", "visible"];
  const formats = ["text", "html", "simple_format", "md", "ansi"];
  for (const k of Object.keys(r)) if (!top.includes(k)) problems.push(`unknown field ${k}`);
  if (r.score !== undefined && typeof r.score !== "number") problems.push("score is not a number");
  for (const k of ["visibility", "stdout_visibility"]) if (r[k] !== undefined && !visibility.includes(r[k] as string)) problems.push(`${k}: ${r[k]}`);
  if (r.output_format !== undefined && !formats.includes(r.output_format as string)) problems.push(`output_format: ${r.output_format}`);
  const tests = r.tests as Record<string, unknown>[];
  if (!Array.isArray(tests)) problems.push("tests is not a list");
  for (const t of tests ?? []) {
    for (const k of Object.keys(t)) if (!test.includes(k)) problems.push(`test field ${k}`);
    if (typeof t.score !== "number" || typeof t.max_score !== "number" || t.score > t.max_score) problems.push(`test ${t.name}: score ${t.score} of ${t.max_score}`);
    if (t.status !== undefined && t.status !== "passed" && t.status !== "failed") problems.push(`test ${t.name}: status ${t.status}`);
    if (typeof t.name !== "string") problems.push("a test without a name");
    if (t.output_format !== undefined && !formats.includes(t.output_format as string)) problems.push(`test output_format ${t.output_format}`);
    if (t.visibility !== undefined && !visibility.includes(t.visibility as string)) problems.push(`test visibility ${t.visibility}`);
  }
  if (r.score === undefined && (tests ?? []).some((t) => t.score === undefined)) problems.push("no score, and tests without one");
  return problems;
}

describe("gradescopeResults(results)", () => {
  it("one learner's submission: a test per exercise, scores that add up, only documented fields", () => {
    const r = gradescopeResults(results.slice(0, 2), 12.4) as Record<string, any>;
    expect(gradescopeProblems(r)).toEqual([]);
    expect(r.score).toBe(3);
    expect(r.execution_time).toBe(12);
    expect(r.tests.map((t: any) => [t.name, t.score, t.max_score, t.status])).toEqual([
      ["01-derivatives: analytic-grad", 2, 2, "passed"],
      ["01-derivatives: forward-diff", 0, 1, "failed"],
      ["02-value: build-expr", 1, 1, "passed"],
    ]);
    expect(r.tests[1].output).toBe("✗ CheckError: ✗ df/da: expected -3, got 3\n(more)");
    expect(r.output).toBe("class/alice/02-value.ipynb: a check cell was changed: graded with the lesson's");
    // The checker can fail: an undocumented field or a bad status is caught.
    expect(gradescopeProblems({ ...r, points: 3, tests: [{ ...r.tests[0], status: "ok" }] })).toEqual(["unknown field points", "test 01-derivatives: analytic-grad: status ok"]);
  });

  it("an ungradable notebook scores 0 with the reason; a whole class is refused", () => {
    const r = gradescopeResults([results[4]!]) as Record<string, any>;
    expect(gradescopeProblems(r)).toEqual([]);
    expect([r.score, r.tests, r.output]).toEqual([0, [], "class/carol/01-derivatives.ipynb could not be graded: class/carol/01-derivatives.ipynb is not a notebook: invalid JSON at line 1, column 2"]);
    expect(() => gradescopeResults(results)).toThrow(/one submission at a time; these notebooks are from 4 learners/);
    expect(classOutputs(results, { format: "gradescope" })).toBeInstanceOf(Error);
  });
});

/** The report read back by expat (Python's XML parser): its suites and cases, or the parse error. */
function parseJunit(xml: string): { error?: string; root?: any } {
  const script = `
import json, sys, xml.etree.ElementTree as ET
try:
    root = ET.fromstring(sys.stdin.buffer.read())
except ET.ParseError as e:
    print(json.dumps({"error": str(e)})); sys.exit(0)
def el(e): return {"tag": e.tag, "attrib": e.attrib, "text": e.text or "", "children": [el(c) for c in e]}
print(json.dumps({"root": el(root)}))`;
  const r = spawnSync("python3", ["-c", script], { input: xml, encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

describe("junitXml(results)", () => {
  it("well-formed XML (a real parser reads it), a suite per submission, counts that agree with the cases", () => {
    const { error, root } = parseJunit(junitXml(results, 30.5));
    expect(error).toBeUndefined();
    expect(root.tag).toBe("testsuites");
    expect(root.attrib).toEqual({ name: "npm run check", tests: "8", failures: "4", errors: "1", time: "30.500" });
    expect(root.children.map((s: any) => [s.attrib.name, s.attrib.tests, s.attrib.failures, s.attrib.errors])).toEqual([
      ["alice · 01-derivatives", "2", "1", "0"],
      ["alice · 02-value", "1", "0", "0"],
      ['=HYPERLINK("evil.example","y") · 01-derivatives', "2", "2", "0"],
      ["bob · 01-derivatives", "2", "1", "0"],
      ["carol · (unknown lesson)", "1", "0", "1"],
    ]);
    for (const suite of root.children) {
      const cases = suite.children.filter((c: any) => c.tag === "testcase");
      expect(cases.length, suite.attrib.name).toBe(Number(suite.attrib.tests));
      expect(cases.filter((c: any) => c.children.some((x: any) => x.tag === "failure")).length).toBe(Number(suite.attrib.failures));
    }
    const bob = root.children[3].children[0];
    expect(bob.attrib).toEqual({ classname: "bob · 01-derivatives", name: "analytic-grad", time: "0" });
    // The hostile message is text, with what XML cannot hold replaced.
    expect(bob.children[0]).toEqual({ tag: "failure", attrib: { type: "fail", message: 'Error: <script>alert("x")</script> & \uFFFD\uFFFD[31m' }, text: 'Error: <script>alert("x")</script> & \uFFFD\uFFFD[31m', children: [] });
    expect(root.children[2].children[0].children[0].attrib.type).toBe("timeout");
    expect(root.children[4].children[0].children[0].tag).toBe("error");
    expect(root.children[1].children.at(-1)).toMatchObject({ tag: "system-out", text: "a check cell was changed: graded with the lesson's" });
  });

  it("the parser check can fail: raw text with a NUL or an unescaped < is refused", () => {
    expect(parseJunit("<a>\u0000</a>").error).toMatch(/not well-formed|invalid token/);
    expect(parseJunit("<a><</a>").error).toMatch(/not well-formed/);
    expect(xmlText("a<b>&\"'\u0007")).toBe("a&lt;b&gt;&amp;&quot;&apos;\uFFFD");
  });
});

describe("expandNotebooks(args)", () => {
  it("folders and unexpanded patterns (** any depth) become their notebooks; checkpoints are skipped", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "class-"));
    for (const f of ["alice/01-derivatives.ipynb", "bob/01-derivatives.ipynb", "bob/deep/x.ipynb", "bob/.ipynb_checkpoints/01-derivatives-checkpoint.ipynb", "notes.txt", "top.ipynb"]) {
      fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      fs.writeFileSync(path.join(dir, f), "{}");
    }
    expect(glob(`${dir}/**/*.ipynb`).map((f) => path.relative(dir, f))).toEqual(["alice/01-derivatives.ipynb", "bob/01-derivatives.ipynb", "bob/deep/x.ipynb", "top.ipynb"]);
    expect(glob(`${dir}/*/01-*.ipynb`).map((f) => path.relative(dir, f))).toEqual(["alice/01-derivatives.ipynb", "bob/01-derivatives.ipynb"]);
    expect(expandNotebooks([path.join(dir, "bob"), `${dir}/*.ipynb`, path.join(dir, "top.ipynb"), "missing/*.ipynb"]).map((f) => (f.startsWith(dir) ? path.relative(dir, f) : f))).toEqual([
      "bob/01-derivatives.ipynb",
      "bob/deep/x.ipynb",
      "top.ipynb",
      "missing/*.ipynb",
    ]);
  });
});

describe("parseCheckArgs: the class options", () => {
  it("--jobs, --gradebook, --format with --out; bad values explained", () => {
    expect(parseCheckArgs(["class", "--jobs", "4", "--gradebook", "out", "--format", "junit", "--out", "r.xml"])).toEqual({
      files: ["class"], timeout: undefined, lessonsDir: undefined, jobs: 4, gradebook: "out", format: "junit", out: "r.xml",
    });
    expect(parseCheckArgs(["a.ipynb", "--jobs", "0"])).toBe('--jobs needs a whole number ≥ 1, got "0"');
    expect(parseCheckArgs(["a.ipynb", "--format", "csv"])).toBe('--format is gradescope or junit, got "csv" (the CSV and JSON gradebook: --gradebook DIR)');
    expect(parseCheckArgs(["a.ipynb", "--out", "x.json"])).toBe("--out names the file for --format gradescope|junit; the gradebook goes to --gradebook DIR");
  });
});
