/**
 * The settings a Java user passes to training, as records that validate themselves: {@link
 * org.convmirror.options.TrainConfig} for what every run shares, {@link
 * org.convmirror.options.GanOptions} and {@link org.convmirror.options.VaeOptions} for each
 * objective, and {@link org.convmirror.options.RunConfig}, all of it as {@code run.json} records
 * it. Every default is a constant beside its one-line reason; records are made and changed with
 * their builders ({@code builder()}, {@code toBuilder()}). Free of the engine.
 */
package org.convmirror.options;
