/**
 * Immutable, self-validating specifications of both halves of a model. Pure Java: no engine. A bad
 * value is a {@link org.convmirror.spec.SpecException} naming its path.
 */
package org.convmirror.spec;
