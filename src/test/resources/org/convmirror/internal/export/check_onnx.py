"""Test driver: runs the ONNX checker with full shape inference on each model given, and prints
each graph output's inferred shape, e.g. `generator.onnx image N,1,28,28`, and each input with its
element type, e.g. `generator.onnx input label int64 N`."""
import sys

import onnx

for path in sys.argv[1:]:
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)
    inferred = onnx.shape_inference.infer_shapes(model, strict_mode=True)
    for inp in inferred.graph.input:
        dims = [d.dim_param or str(d.dim_value) for d in inp.type.tensor_type.shape.dim]
        kind = onnx.TensorProto.DataType.Name(inp.type.tensor_type.elem_type).lower()
        print(path, "input", inp.name, kind, ",".join(dims))
    for out in inferred.graph.output:
        dims = [d.dim_param or str(d.dim_value) for d in out.type.tensor_type.shape.dim]
        print(path, out.name, ",".join(dims))
