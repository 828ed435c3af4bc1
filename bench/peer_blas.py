"""The plain-PyTorch peer's BLAS: OpenBLAS built for OpenMP, which is what Debian's torch is fast on.

Debian's python3-torch calls whatever libblas.so.3 the alternatives system points to. With
libopenblas0-pthread also installed (libopenblas-dev pulls it in) that is the pthread build, whose
own threads fight torch's OpenMP threads: on this 2-core machine the peer's dcgan28 training step
at batch 64 ran at 293 images/s with 2 threads on it against 671 on the OpenMP build (1 thread:
477 vs 446), so a comparison on it flatters convmirror by 1.5x. `use_openmp_openblas()`, called
before numpy or torch is imported, re-runs the script with the OpenMP build first on LD_LIBRARY_PATH (the
loader reads it only at start); `loaded_blas()` reports the BLAS library the process really mapped.
"""
import os
import sys

OPENMP = "/usr/lib/x86_64-linux-gnu/openblas-openmp"


def use_openmp_openblas():
    """Re-executes this script with the OpenMP OpenBLAS first, when installed and not yet so."""
    path = os.environ.get("LD_LIBRARY_PATH", "")
    if os.path.isdir(OPENMP) and path.split(":")[0] != OPENMP:
        os.environ["LD_LIBRARY_PATH"] = OPENMP + (":" + path if path else "")
        os.execv(sys.executable, [sys.executable] + sys.argv)


def loaded_blas():
    """The BLAS library this process has mapped (read after torch is imported)."""
    with open("/proc/self/maps") as maps:
        for line in maps:
            fields = line.split()  # address perms offset dev inode [path]
            if len(fields) == 6 and ("libblas" in fields[5] or "libopenblas" in fields[5]):
                return os.path.realpath(fields[5])
    return "none mapped"
