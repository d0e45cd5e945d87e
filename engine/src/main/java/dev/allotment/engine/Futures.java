package dev.allotment.engine;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Waiting for the work a run hands to threads of its own (read-ahead, batch commits). Stateless. */
final class Futures {
  private Futures() {}

  /**
   * The result once the work ended, waiting without being interruptible (an interrupt is kept for
   * the caller): its failure rethrown as the work threw it, a checked one wrapped.
   */
  static <T> T join(CompletableFuture<T> work) {
    try {
      return work.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }
}
