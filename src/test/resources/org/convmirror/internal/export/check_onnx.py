"""Test driver: runs the ONNX checker with full shape inference on each model given, and prints
each graph output's inferred shape, e.g. `generator.onnx image N,1,28,28`."""
import sys

import onnx

for path in sys.argv[1:]:
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)
    inferred = onnx.shape_inference.infer_shapes(model, strict_mode=True)
    for out in inferred.graph.output:
        dims = [d.dim_param or str(d.dim_value) for d in out.type.tensor_type.shape.dim]
        print(path, out.name, ",".join(dims))
