/** The mirror: pure functions from a declared convolutional half to its derived half. */
package org.convmirror.mirror;
