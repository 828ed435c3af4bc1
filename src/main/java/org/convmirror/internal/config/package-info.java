/**
 * Model files in and out: {@link org.convmirror.internal.config.ModelFiles} reads a YAML or JSON
 * model file (or a built-in one) strictly into a {@link org.convmirror.spec.ModelSpec}, each error
 * naming its path in the file; {@link org.convmirror.internal.config.ModelWriter} writes a spec
 * back as the text a run records. Free of the engine.
 */
package org.convmirror.internal.config;
