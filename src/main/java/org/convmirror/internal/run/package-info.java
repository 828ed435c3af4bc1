/**
 * The run directory a training job leaves behind: resolved configuration and provenance, sample
 * grids, a loss CSV and its plot, and atomic, self-verifying checkpoints.
 *
 * <p>Everything here is written so that a crash or {@code SIGKILL} at any moment leaves either the
 * previous complete file or the new complete file, never a torn one.
 */
package org.convmirror.internal.run;
