/**
 * TensorBoard event files, written without TensorFlow: the record framing (length, masked CRC32C,
 * data, masked CRC32C) and the few fields of the {@code Event} and {@code Summary} protocol buffers
 * that scalars and images need.
 */
package org.convmirror.internal.report.tensorboard;
