/**
 * The {@code convmirror} command line (picocli): each command maps its flags onto the records and
 * calls of the layers below ({@code job}, {@code model}, {@code export}, {@code bench}, {@code
 * spark}) and prints what they return; no command holds the logic it runs. {@link
 * org.convmirror.internal.cli.Main} is the entry point: it turns a {@link
 * org.convmirror.error.UsageException} into one line and exit code 2.
 */
package org.convmirror.internal.cli;
