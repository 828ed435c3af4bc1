package org.convmirror.internal.nn;

import ai.djl.nn.Parameter;

/**
 * A conditional block with one learned table indexed by class label (classes, width): a conditional
 * generator's embedding, a projection discriminator's V; what export and import read and write
 * under {@code embedding.weight}.
 */
public interface LabelTable {
  /** The table, (classes, width). */
  Parameter table();
}
