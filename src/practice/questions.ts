/**
 * Self-check questions: a few per lesson, on the ideas rather than the code, shown at the end of
 * each lesson by `selfCheck("03-manual-backprop")`. An open question reveals its answer on request;
 * a numeric or choice question is checked (the answer is one click away either way).
 */

export type Question =
  | { kind: "open"; prompt: string; answer: string }
  | { kind: "number"; prompt: string; value: number; tol?: number; answer: string }
  | { kind: "choice"; prompt: string; choices: string[]; correct: number; answer: string };

export const QUESTIONS: Record<string, Question[]> = {
  "01-derivatives": [
    { kind: "open", prompt: "In words, what does the derivative of f at x tell you?", answer: "How much f's output changes per unit change of x, for a very small change: the output's sensitivity to that input, with its sign saying in which direction." },
    { kind: "number", prompt: "f(x) = 3x² − 4x + 5. What is its slope at x = 3?", value: 14, answer: "f′(x) = 6x − 4, so 6·3 − 4 = 14." },
    { kind: "choice", prompt: "Which estimate of a derivative has the smaller error for the same step h?", choices: ["(f(x+h) − f(x)) / h, the forward difference", "(f(x+h) − f(x−h)) / 2h, the symmetric difference", "Both are equally accurate"], correct: 1, answer: "The symmetric difference: its error shrinks like h², the forward difference's only like h, because the first-order error terms cancel." },
    { kind: "open", prompt: "Why does making h ever smaller (1e-12, 1e-15…) eventually make the estimate worse, not better?", answer: "Floating-point rounding: f(x+h) and f(x) agree in almost all their digits, so their difference keeps only a few correct ones, and dividing by a tiny h magnifies that rounding error." },
    { kind: "number", prompt: "d = a·b + c with a = 2, b = −3, c = 10. By how much does d change, per unit, when only a is nudged (∂d/∂a)?", value: -3, answer: "∂d/∂a = b = −3: d goes down by 3 per unit of a." },
  ],
  "02-value-and-graph": [
    { kind: "open", prompt: "What does a Value remember besides its number, and why?", answer: "The inputs it was computed from and the operation that combined them (and a label), so the whole expression can be walked backwards later to compute gradients." },
    { kind: "number", prompt: "How many Values does the expression L = (a·b + c)·f contain, counting the inputs?", value: 7, answer: "Four inputs (a, b, c, f) and three results (e = a·b, d = e + c, L = d·f): 7." },
    { kind: "choice", prompt: "In the drawing, what is a small circle with * in it?", choices: ["A Value", "An operation: the node that made the Value its arrow points to", "A gradient"], correct: 1, answer: "An operation node. Values are the records (label | data | grad); the circle shows which operation produced the record it points to." },
    { kind: "open", prompt: "TypeScript has no operator overloading. How do you write a·b + c with Values, and what does that change?", answer: "a.mul(b).add(c). Only the spelling: the method calls build the same graph as Python's operators do." },
  ],
  "03-manual-backprop": [
    { kind: "number", prompt: "What is the gradient of the output L with respect to L itself?", value: 1, answer: "dL/dL = 1: nudging L by h changes L by h. Every backward pass starts from this 1." },
    { kind: "open", prompt: "State the chain rule as backpropagation uses it, for one node.", answer: "An input's gradient is the local derivative of the node with respect to that input, times the node's own gradient (the gradient from above)." },
    { kind: "open", prompt: "What does a + node do with its gradient during the backward pass, and why?", answer: "It passes it unchanged to each input: the local derivative of x + y with respect to either input is 1, so it just routes the gradient." },
    { kind: "choice", prompt: "For e = a·b, what is e's local derivative with respect to a?", choices: ["a", "b", "1", "a·b"], correct: 1, answer: "b: a * node passes each input the other input's data times its own gradient." },
    { kind: "number", prompt: "L = d·f with d = 4 and f = −2. What is dL/dd?", value: -2, answer: "The other factor: f = −2." },
    { kind: "open", prompt: "To make L larger, which way do you move an input with a negative gradient?", answer: "Down (decrease it): a negative gradient means L falls when the input rises, so nudging the input by −step·(negative) raises L." },
  ],
  "04-neuron-tanh": [
    { kind: "open", prompt: "What is a neuron, in one line?", answer: "The sum of its inputs times their weights, plus a bias, passed through an activation function such as tanh." },
    { kind: "choice", prompt: "What is tanh's local derivative, written with its output o = tanh(n)?", choices: ["1 − n²", "1 − o²", "o²", "1 + o"], correct: 1, answer: "1 − o²: tanh′(n) = 1 − tanh(n)², and tanh(n) is the output o, which the node already knows." },
    { kind: "number", prompt: "A tanh node outputs o = 0.5 and its grad is 2. What grad does it pass to its input?", value: 1.5, answer: "(1 − 0.5²)·2 = 0.75·2 = 1.5." },
    { kind: "open", prompt: "Why does a weight whose input is 0 get gradient 0?", answer: "Through the product x·w, w's local derivative is x; with x = 0 nothing of the gradient from above reaches w: changing w does not change the output." },
    { kind: "open", prompt: "Two correct ways of computing the same gradient can differ in the last digit. Why?", answer: "Floating-point arithmetic rounds after every operation, and different formulas (e.g. 1 − o² vs. an exact ½) round at different places." },
  ],
  "05-backward": [
    { kind: "open", prompt: "Why must backward() visit nodes in reverse topological order?", answer: "A node may pass its gradient on only once it is complete, i.e. once every node using it has added its share; reverse topological order guarantees all users come first." },
    { kind: "open", prompt: "Why does a value used twice need += in the backward steps, not =?", answer: "Its gradient is the sum of the contributions of every place it is used (the multivariable chain rule); = would keep only the last one." },
    { kind: "number", prompt: "b = a + a with a = 3. After b.backward(), what is a.grad?", value: 2, answer: "2: each use passes 1, and the two shares add up." },
    { kind: "choice", prompt: "What does zeroing the grads (zeroGrad) before a second backward() prevent?", choices: ["Values being used twice", "The new gradients being added onto the old ones", "The topological sort visiting a node twice"], correct: 1, answer: "backward() adds into grad; without a reset, the second pass adds to the first and every gradient is doubled (or worse)." },
    { kind: "open", prompt: "What is a topological order of an expression graph?", answer: "A list of its nodes in which every node comes after all of its inputs." },
  ],
  "06-more-operations": [
    { kind: "choice", prompt: "What is exp's local derivative, written with its output?", choices: ["Its input", "Its output (eˣ)", "1", "1/x"], correct: 1, answer: "eˣ is its own derivative, so exp passes its own output times its gradient." },
    { kind: "number", prompt: "q = a / b with a = 6, b = 2. What is ∂q/∂b?", value: -1.5, answer: "−a/b² = −6/4 = −1.5." },
    { kind: "open", prompt: "tanh can be written with exp, add and div instead of as one operation. What stays the same, and what changes?", answer: "The forward value and every gradient stay the same (up to rounding); the graph gets more nodes. How finely to split operations is a choice, as long as each one knows its local derivative." },
    { kind: "open", prompt: "How does a Value handle a plain number on either side of +, like a.add(1)?", answer: "It wraps the number in a Value (a leaf with no inputs), so the same operation and backward step apply." },
    { kind: "number", prompt: "p = x**3 at x = 2. What is its local derivative?", value: 12, answer: "3·x² = 12." },
  ],
  "07-mlp": [
    { kind: "open", prompt: "Name the four steps of one training step, in order.", answer: "Forward pass (compute the loss), zero the gradients, backward pass, update each parameter against its gradient (p.data −= lr·p.grad)." },
    { kind: "choice", prompt: "Why step each parameter by −lr·grad, not +lr·grad?", choices: ["Gradients point downhill", "Gradients point uphill: the loss grows fastest along them", "It makes no difference"], correct: 1, answer: "The gradient is the direction of steepest increase of the loss; to lower the loss, go the other way." },
    { kind: "number", prompt: "How many parameters has an MLP(3, [4, 4, 1]) (weights and biases)?", value: 41, answer: "Layer 1: 4·(3+1) = 16; layer 2: 4·(4+1) = 20; layer 3: 1·(4+1) = 5; 41 in all." },
    { kind: "open", prompt: "What does the squared-error loss measure, and why square?", answer: "How far the predictions are from the targets; squaring makes every miss count positively and larger misses count more, and it is smooth, so it has a gradient everywhere." },
    { kind: "open", prompt: "On a loss chart, what does a forgotten zeroGrad look like?", answer: "The loss falls and then swings or jumps instead of settling, because each step follows the sum of all the past gradients." },
  ],
  "08-moons": [
    { kind: "open", prompt: "What does the max-margin (hinge) loss ask of each point?", answer: "That its score has the right sign with a margin: label·score ≥ 1. Points beyond the margin cost nothing; the others cost 1 − label·score." },
    { kind: "open", prompt: "What is L2 regularisation for?", answer: "It adds a small penalty on the size of the weights, so the network prefers small weights: smoother decision boundaries that generalise better." },
    { kind: "choice", prompt: "Why can ReLU layers separate the two moons when a single neuron cannot?", choices: ["ReLU is faster", "Layers of nonlinear units can bend the decision boundary; a single neuron's boundary is a straight line", "The moons are linearly separable"], correct: 1, answer: "A single neuron draws a straight boundary; stacked nonlinear layers combine bends into a curve that follows the moons." },
    { kind: "open", prompt: "What do tensor libraries (PyTorch, TF.js) add on top of the same mathematics?", answer: "Whole arrays per node instead of single numbers (tensors), batching, fast kernels and GPUs: the chain rule and the training loop are the same." },
  ],
  "09-exercises": [
    { kind: "open", prompt: "What does softmax turn a list of scores (logits) into?", answer: "Probabilities: exp of each score divided by the sum of the exps, all positive and adding up to 1." },
    { kind: "number", prompt: "What is the negative log-likelihood loss when the correct class gets probability 1?", value: 0, answer: "−log 1 = 0: no loss for a certain, correct prediction." },
    { kind: "choice", prompt: "What is log's local derivative?", choices: ["log x", "1/x", "eˣ", "x"], correct: 1, answer: "d/dx log x = 1/x." },
    { kind: "open", prompt: "Why can softmax and its loss be built from exp, add, div and log without a backward step of their own?", answer: "Each of those operations knows its local derivative, and backward() chains them: a composite function's gradient comes for free." },
  ],
  "10-bug-clinic": [
    { kind: "choice", prompt: "A gradient check shows one value's grad equal to exactly one of its shares. Which bug?", choices: ["A missing zeroGrad", "= instead of += where the value is used twice", "The update's sign"], correct: 1, answer: "Overwriting with = keeps only the share of the use processed last." },
    { kind: "open", prompt: "The loss grows from the first step, whatever the learning rate. What is wrong?", answer: "The update's sign: the parameters move along the gradient (uphill) instead of against it." },
    { kind: "number", prompt: "For L(w) = 5·w², above which learning rate does gradient descent diverge?", value: 0.2, answer: "Each step multiplies w by 1 − 2·5·lr; its size exceeds 1 above lr = 1/5 = 0.2." },
    { kind: "open", prompt: "Many gradients come out exactly 0, where the numerical ones are not. What do you suspect?", answer: "The backward pass in the wrong order: nodes passed their gradient on before it was complete (still 0)." },
  ],
};

/** The questions of `lesson`, or an error that lists the lessons that have some. */
export function questionsFor(lesson: string): Question[] {
  const qs = QUESTIONS[lesson];
  if (!qs) throw new Error(`selfCheck: no questions for "${lesson}"; the lessons with questions are ${Object.keys(QUESTIONS).join(", ")}`);
  return qs;
}
