/** Exact size arithmetic per layer, parameter and MAC counts, and the plan's rendering. */
package org.convmirror.shape;
