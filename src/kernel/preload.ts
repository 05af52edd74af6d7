/**
 * Loaded into the tslab kernel's Node before tslab itself (the kernelspec's NODE_OPTIONS has
 * `--require` this file): every line a cell prints reaches Jupyter, in order.
 *
 * Why: tslab publishes each write to stdout as its own message on the iopub socket and does not
 * wait for the send. ZeroMQ's publish/subscribe drops messages beyond a high-water mark (1000 on
 * each side, and we don't own the receiving side: Jupyter's), so a cell printing 10,000 lines
 * showed about 500 of them, with no sign that the rest was lost. Two changes fix it:
 * 1. a cell's writes are coalesced: consecutive writes to the same stream go out as one message
 *    (at the latest 50 ms after the first, or at 64 kB, and always before a display and before
 *    the cell's reply), so a print loop sends a handful of messages instead of thousands;
 * 2. sends on the publisher wait for each other, in order (zeromq.js allows one at a time).
 */
import * as path from "node:path";

interface Message {
  header: { msg_type: string };
  content: unknown;
  createReply(): Message;
  signAndSend(key: string, socket: unknown): void;
}
interface Server {
  connInfo: { key: string };
  iopub: unknown;
  handler: {
    handleExecute(content: unknown, writeStream: (name: string, text: string) => void, writeDisplay: (data: unknown, update: boolean) => void): Promise<unknown>;
  };
}
interface Publisher {
  send(message: unknown): Promise<void>;
  sendHighWaterMark: number;
}

/** Flush a stream's text this soon after its first unsent write. */
const FLUSH_MS = 50;
/** …or as soon as this much is waiting. */
const FLUSH_BYTES = 64 * 1024;

const tslabDir = () => path.dirname(require.resolve("tslab/package.json"));

function coalesceStreams(): void {
  const { ZmqServer } = require(path.join(tslabDir(), "dist", "jupyter.js")) as { ZmqServer: { prototype: Server & { handleExecute(sock: unknown, msg: Message): Promise<void> } } };
  ZmqServer.prototype.handleExecute = async function (this: Server, sock: unknown, msg: Message): Promise<void> {
    const publish = (type: string, content: unknown) => {
      const m = msg.createReply();
      m.header.msg_type = type;
      m.content = content;
      m.signAndSend(this.connInfo.key, this.iopub);
    };
    let name = "";
    let text = "";
    let timer: NodeJS.Timeout | undefined;
    const flush = () => {
      clearTimeout(timer);
      timer = undefined;
      if (text !== "") publish("stream", { name, text });
      text = "";
    };
    const writeStream = (stream: string, chunk: string) => {
      if (stream !== name) flush(); // stdout and stderr keep their order
      name = stream;
      text += chunk;
      if (text.length >= FLUSH_BYTES) flush();
      else timer ??= setTimeout(flush, FLUSH_MS);
    };
    const writeDisplayData = (data: unknown, update: boolean) => {
      flush(); // what was printed before a picture appears before it
      publish(update ? "update_display_data" : "display_data", data);
    };
    const content = await this.handler.handleExecute(msg.content, writeStream, writeDisplayData);
    flush();
    const reply = msg.createReply();
    reply.header.msg_type = "execute_reply";
    reply.content = content;
    reply.signAndSend(this.connInfo.key, sock);
  };
}

function sendInOrder(): void {
  const zmq = require(require.resolve("zeromq", { paths: [tslabDir()] })) as { Publisher: { prototype: Publisher } };
  const proto = zmq.Publisher.prototype;
  const send = proto.send;
  const queues = new WeakMap<Publisher, Promise<void>>();
  function inOrder(this: Publisher, message: unknown): Promise<void> {
    if (!queues.has(this)) this.sendHighWaterMark = 0; // 0: no limit, queue rather than drop
    const sent = (queues.get(this) ?? Promise.resolve()).then(() => send.call(this, message));
    // The queue goes on after a failed send; the caller still sees the failure.
    queues.set(this, sent.catch(() => {}));
    return sent;
  }
  // `send` is a read-only property of a base class: give Publisher its own.
  Object.defineProperty(proto, "send", { value: inOrder, writable: true, configurable: true });
}

for (const fix of [coalesceStreams, sendInOrder]) {
  try {
    fix();
  } catch (e) {
    // Never stop the kernel from starting: without the fix, long outputs may lose lines.
    process.stderr.write(`micrograd-ts kernel preload (${fix.name}): ${(e as Error).message}\n`);
  }
}
