"""Test driver: for each folder given, imports its generated model.py, loads the network with
model.load(folder) (strict=True), feeds it input.npy (and label.npy, class labels stored as
float32, for a conditional network) and writes each output as out-K.npy."""
import importlib.util
import os
import sys

import numpy as np
import torch

torch.set_num_threads(1)
for folder in sys.argv[1:]:
    spec = importlib.util.spec_from_file_location("model_" + os.path.basename(folder),
                                                  os.path.join(folder, "model.py"))
    model = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(model)
    net = model.load(folder)
    assert not net.training, folder + ": load() must return the network in eval mode"
    x = torch.from_numpy(np.load(os.path.join(folder, "input.npy")))
    labels = os.path.join(folder, "label.npy")
    with torch.no_grad():
        if os.path.exists(labels):
            out = net(x, torch.from_numpy(np.load(labels)).long())
        else:
            out = net(x)
    outputs = out if isinstance(out, tuple) else (out,)
    for k, y in enumerate(outputs):
        np.save(os.path.join(folder, "out-%d.npy" % k), y.numpy().astype(np.float32))
    print(folder, model.LATENT, [tuple(y.shape) for y in outputs])
