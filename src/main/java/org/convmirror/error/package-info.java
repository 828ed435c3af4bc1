/**
 * The one error of a bad input — a malformed file, an impossible configuration, missing data, a bad
 * flag value: {@link org.convmirror.error.UsageException}, one line that names what is wrong and
 * how to fix it (the command line exits with 2). Below every other package, so that each can throw
 * it.
 */
package org.convmirror.error;
