/**
 * Takes a trained model out of convmirror and brings one back: ONNX (opset 17) for onnxruntime and
 * the browser, safetensors with PyTorch {@code state_dict} names and a generated plain-{@code
 * torch.nn} module, a static web page, and the import of such a state dict as a new run. Run
 * directories are read only through {@link org.convmirror.internal.export.ModelSource} and written
 * only through {@link org.convmirror.internal.export.ImportedRun}.
 */
package org.convmirror.internal.export;
