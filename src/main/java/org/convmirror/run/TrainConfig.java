package org.convmirror.run;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The resolved configuration of a training run, written into the run directory before the first
 * step so that the run can be explained and reproduced from its directory alone.
 *
 * @param kind {@code gan} or {@code vae}
 * @param model the model as the user named it (built-in name or path)
 * @param modelYaml the model file's full text, so the run does not depend on the file staying
 * @param dataset the named dataset, or null
 * @param data the data path or {@code synthetic[:N]}, or null
 * @param epochs epochs to train in total (a resumed run adds to the epochs done)
 * @param batchSize images per batch
 * @param seed seeds initialisation, data order, noise and sampling
 * @param loss GAN objective ({@code bce}, {@code lsgan}, {@code hinge}, {@code wasserstein})
 * @param learningRate Adam's step size
 * @param beta1 Adam's β1
 * @param beta2 Adam's β2
 * @param discriminatorSteps discriminator updates per generator update
 * @param realLabel target for real images (one-sided label smoothing below 1)
 * @param clip the Wasserstein critic's weight bound
 * @param klWeight the VAE's β (weight of the KL term)
 * @param klWarmupEpochs epochs over which β ramps linearly from 0
 * @param checkpointEvery iterations between mid-epoch checkpoints (0: only at epoch ends)
 * @param threads libtorch intra-op threads
 */
public record TrainConfig(
    String kind,
    String model,
    @JsonProperty("model_yaml") String modelYaml,
    String dataset,
    String data,
    int epochs,
    @JsonProperty("batch_size") int batchSize,
    long seed,
    String loss,
    @JsonProperty("learning_rate") float learningRate,
    float beta1,
    float beta2,
    @JsonProperty("discriminator_steps") int discriminatorSteps,
    @JsonProperty("real_label") float realLabel,
    float clip,
    @JsonProperty("kl_weight") float klWeight,
    @JsonProperty("kl_warmup_epochs") int klWarmupEpochs,
    @JsonProperty("checkpoint_every") int checkpointEvery,
    int threads) {

  /** The same configuration with a new epoch target (resume adds epochs). */
  public TrainConfig withEpochs(int total) {
    return new TrainConfig(
        kind,
        model,
        modelYaml,
        dataset,
        data,
        total,
        batchSize,
        seed,
        loss,
        learningRate,
        beta1,
        beta2,
        discriminatorSteps,
        realLabel,
        clip,
        klWeight,
        klWarmupEpochs,
        checkpointEvery,
        threads);
  }
}
