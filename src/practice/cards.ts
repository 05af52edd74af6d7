/**
 * The flashcards: across the lessons, on what is worth knowing by heart: every operation's local
 * derivative, the chain-rule step, the order of a training step, and the lecture's Python names
 * next to ours. Each card names the lesson it comes from.
 */
export interface Flashcard {
  id: string;
  lesson: string;
  front: string;
  back: string;
}

export const CARDS: Flashcard[] = [
  { id: "local-add", lesson: "03-manual-backprop", front: "out = a + b: what does out pass back to a and to b?", back: "out.grad to each, unchanged (local derivative 1)." },
  { id: "local-mul", lesson: "03-manual-backprop", front: "out = a · b: what does out pass back to a?", back: "b.data × out.grad (the other input's data times its own grad)." },
  { id: "chain-rule", lesson: "03-manual-backprop", front: "The chain rule at one node, in backprop's words", back: "input.grad += (local derivative of the node with respect to that input) × node.grad." },
  { id: "seed-grad", lesson: "03-manual-backprop", front: "What is the output's own grad when backward() starts?", back: "1, because dL/dL = 1." },
  { id: "local-tanh", lesson: "04-neuron-tanh", front: "o = tanh(n): tanh's local derivative", back: "1 − o², written with the output o (not 1 − n²)." },
  { id: "neuron", lesson: "04-neuron-tanh", front: "A neuron's output, as a formula", back: "tanh(Σ wᵢ·xᵢ + b): weighted inputs plus a bias, through the activation." },
  { id: "plus-equals", lesson: "05-backward", front: "Why do backward steps use += and not =?", back: "A value used more than once gets a share from every use; the shares add up." },
  { id: "topo-reverse", lesson: "05-backward", front: "In which order does backward() visit the nodes?", back: "Reverse topological order: the output first, each node after every node that uses it." },
  { id: "zero-grad-why", lesson: "05-backward", front: "What does zeroGrad prevent?", back: "A new backward pass adding its gradients onto the old ones." },
  { id: "local-exp", lesson: "06-more-operations", front: "out = exp(x): exp's local derivative", back: "out.data itself (eˣ)." },
  { id: "local-pow", lesson: "06-more-operations", front: "out = x**k (k a number): the local derivative", back: "k · x^(k−1)." },
  { id: "local-div", lesson: "06-more-operations", front: "out = a / b: the local derivatives", back: "1/b for a; −a/b² for b." },
  { id: "local-sub", lesson: "06-more-operations", front: "out = a − b: what goes back to b?", back: "−out.grad (local derivative −1)." },
  { id: "local-relu", lesson: "08-moons", front: "out = ReLU(x): the local derivative", back: "1 where x > 0, else 0." },
  { id: "local-log", lesson: "09-exercises", front: "out = log(x): the local derivative", back: "1/x." },
  { id: "train-order", lesson: "07-mlp", front: "The four steps of a training step, in order", back: "Forward (the loss), zero the grads, backward, update: p.data −= lr · p.grad." },
  { id: "update-sign", lesson: "07-mlp", front: "Why p.data −= lr·p.grad and not +=?", back: "The gradient points uphill (where the loss grows fastest); we go the other way." },
  { id: "lr-too-big", lesson: "10-bug-clinic", front: "Loss grows only when the learning rate is raised: the cause?", back: "The learning rate is too large: each step overshoots the minimum by more than the last." },
  { id: "name-prev", lesson: "02-value-and-graph", front: "The lecture's _prev and _op are called … here", back: "inputs and op." },
  { id: "name-backward", lesson: "05-backward", front: "The lecture's _backward is called … here", back: "backwardStep." },
  { id: "name-topo", lesson: "05-backward", front: "The lecture's build_topo is called … here", back: "topologicalOrder (the library's); topologicalSort in your own Value." },
  { id: "name-zero-grad", lesson: "07-mlp", front: "The lecture's p.grad = 0.0 for every parameter (zero_grad) is … here", back: "n.zeroGrad()." },
  { id: "name-call", lesson: "07-mlp", front: "The lecture calls the network as n(x). Here you write …", back: "n.output(x) for one output, n.forward(x) for all of them." },
  { id: "name-ops", lesson: "02-value-and-graph", front: "How is the lecture's a * b + c written here?", back: "a.mul(b).add(c): TypeScript has no operator overloading." },
];
