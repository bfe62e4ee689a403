"""Reads a safetensors file into torch tensors (Debian has no python3-safetensors).

The format: an 8-byte little-endian header length, a JSON header {name: {dtype, shape,
data_offsets}, "__metadata__": {...}}, then the raw little-endian data.
"""
import json
import struct

import numpy as np
import torch

DTYPES = {'F32': np.float32, 'F64': np.float64, 'F16': np.float16, 'I64': np.int64, 'I32': np.int32, 'U8': np.uint8}


def read_safetensors(path):
    """(tensors: {name: torch.Tensor}, metadata: {str: str})."""
    with open(path, 'rb') as f:
        data = f.read()
    (header_len,) = struct.unpack('<Q', data[:8])
    header = json.loads(data[8:8 + header_len])
    metadata = header.pop('__metadata__', {}) or {}
    body = data[8 + header_len:]
    tensors = {}
    for name, info in header.items():
        if info['dtype'] not in DTYPES:
            raise SystemExit(f'{path}: tensor {name}: dtype {info["dtype"]} is not supported')
        start, end = info['data_offsets']
        array = np.frombuffer(body[start:end], dtype=np.dtype(DTYPES[info['dtype']]).newbyteorder('<'))
        tensors[name] = torch.from_numpy(array.astype(DTYPES[info['dtype']]).reshape(info['shape']).copy())
    return tensors, metadata
