/**
 * The one place the kernel loads the sciforge library itself: the copy a notebook's
 * `import … from "sciforge"` gets. Loading it is all the kernel does with it — on load the
 * library registers its hooks on the kernel bridge (lib/display/display.ts registerKernelHooks),
 * and the kernel calls those. Loaded early (after the first cell answered) so the first cell that
 * imports it need not wait for it (and its native Polars addon), and on demand by a magic that
 * needs a hook before any cell imported the library.
 */
import type { Executor } from "./executor";

export class LibraryLoader {
  private scheduled = false;

  constructor(
    private readonly executor: Executor,
    private readonly log: (text: string) => void,
  ) {}

  /** Loads the library now (a no-op once loaded); throws what loading it throws. */
  load(): void {
    this.executor.notebookRequire("sciforge");
  }

  /** Loads it shortly (once), in the background: a failure is only logged. */
  preload(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setTimeout(() => {
      try {
        this.load();
      } catch (e) {
        this.log(`[sciforge kernel] could not preload the sciforge library: ${(e as Error).message}`);
      }
    }, 20);
  }
}
