/** Starts the real kernel process (dist/kernel.js) through the real client. */
import { sciforgeKernelSpec, KERNEL_NAME } from "../../extension/jupyter/kernelspec";
import { LocalKernel } from "../../extension/jupyter/launcher";
import type { Message } from "../../kernel-helpers/protocol/messages";
import { DIST, requireBuilt } from "./paths";

export async function startKernel(cwd?: string): Promise<LocalKernel> {
  requireBuilt();
  return LocalKernel.start({ name: KERNEL_NAME, spec: sciforgeKernelSpec(DIST) }, { cwd });
}

/** Runs code and returns the reply plus every iopub message it produced. */
export async function run(kernel: LocalKernel, code: string, opts: { onInput?: (p: string, pw: boolean) => Promise<string>; stopOnError?: boolean; onOutput?: (m: Message) => void } = {}) {
  const outputs: Message[] = [];
  const { onOutput, ...rest } = opts;
  const r = await kernel.client.execute(code, {
    onOutput: (m) => {
      outputs.push(m);
      onOutput?.(m);
    },
    ...rest,
  });
  const of = (type: string) => outputs.filter((m) => m.header.msg_type === type).map((m) => m.content);
  return { ...r, outputs, of, text: of("stream").map((c) => c.text).join("") };
}
