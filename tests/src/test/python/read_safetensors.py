#!/usr/bin/env python3
"""An independent safetensors reader, written from the format's specification
(https://huggingface.co/docs/safetensors, "Format"): standard library only, nothing shared with nnc.

    8 bytes       N, an unsigned little-endian 64-bit integer: the size of the header
    N bytes       a UTF-8 JSON object: name -> {"dtype", "shape", "data_offsets": [begin, end]},
                  and optionally "__metadata__": a map from string to string
    the rest      the byte buffer; offsets are relative to its start, tensors are little-endian,
                  row-major, and together they cover the buffer without holes or overlaps

Prints one JSON object: {"metadata": {...}, "tensors": {name: {"dtype", "shape", "values": [hex floats]}}}.
Each value is written with float.hex, so the comparison with nnc's values is exact.

Usage: read_safetensors.py FILE
"""

import json
import struct
import sys

WIDTH = {"F64": 8, "F32": 4, "F16": 2}
FORMAT = {"F64": "d", "F32": "f", "F16": "e"}


def read(path):
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise ValueError("shorter than the 8-byte header size")
    (n,) = struct.unpack("<Q", data[:8])
    if 8 + n > len(data):
        raise ValueError(f"header size {n} exceeds the file")
    header = json.loads(data[8:8 + n].decode("utf-8"))
    buffer = data[8 + n:]
    metadata = header.pop("__metadata__", {})
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()):
        raise ValueError("__metadata__ must map strings to strings")
    tensors = {}
    covered = []
    for name, info in header.items():
        dtype, shape, (begin, end) = info["dtype"], info["shape"], info["data_offsets"]
        count = 1
        for d in shape:
            count *= d
        if end - begin != count * WIDTH[dtype]:
            raise ValueError(f"{name}: {end - begin} bytes for {dtype}{shape}")
        values = struct.unpack("<" + FORMAT[dtype] * count, buffer[begin:end])
        tensors[name] = {"dtype": dtype, "shape": shape, "values": [float(v).hex() for v in values]}
        covered.append((begin, end))
    covered.sort()
    position = 0
    for begin, end in covered:
        if begin != position:
            raise ValueError(f"hole or overlap at byte {begin} of the buffer")
        position = end
    if position != len(buffer):
        raise ValueError(f"{len(buffer) - position} bytes after the last tensor")
    return {"metadata": metadata, "tensors": tensors}


if __name__ == "__main__":
    json.dump(read(sys.argv[1]), sys.stdout)
