/**
 * The stub a learner's copy has in place of each solution, and what a cell that runs into it
 * says. The stub throws `not implemented: <grade id>`; the kernel and the live page recognise that
 * message and, instead of a stack trace, name the exercise to do first and where it is.
 */

/** The lines a learner sees in place of a solution region. */
export function stubLines(gradeId: string): string[] {
  return ["// YOUR CODE HERE", `throw new Error("not implemented: ${gradeId}");`];
}

/** An error message thrown by a stub: its grade id, or undefined for any other message. */
export function stubExercise(message: string): string | undefined {
  return /^not implemented: ([\w-]+)$/.exec(message)?.[1];
}

/**
 * The line under a stub's error. `stubCell` names the cell that holds the stub ("Cell In[7]",
 * "cell 8") when it is not the cell that ran; undefined when the stub is in the running cell.
 */
export function stubAdvice(gradeId: string, stubCell?: string): string {
  return stubCell === undefined
    ? `Exercise "${gradeId}" is not done yet: write your code in place of the stub in this cell, then run it again.`
    : `Exercise "${gradeId}" is not done yet: write your code in place of its stub (${stubCell}), run that cell, then run this one again.`;
}

/** Whether a line is one `stubAdvice` wrote (a report that numbers cells its own way leaves it out). */
export function isStubAdvice(line: string): boolean {
  return /^Exercise "[\w-]+" is not done yet: write your code in place of /.test(line.trim());
}
