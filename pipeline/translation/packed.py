"""Linear layers with their weights in oneDNN's packed layout, for the decoding step.

A decoding step multiplies a few rows (beams x inputs: 8-128) by every weight matrix of
the decoder and by the output projection. That work is bound by reading the weights, not
by the arithmetic, and torch's ``addmm`` reads float32 weights at a few rows far below the
memory's speed; oneDNN, with each weight reordered once into its blocked layout, runs the
same products several times faster (figures in docs/performance.md). The arithmetic is
the same float32 products and sums in another order, so results agree to about 1e-6
relative; the tests hold the search to ``generate()``'s tokens with packing on.

The packed weights are copies. Where the originals are pages of a mapped weights file
(``from_pretrained`` maps ``pytorch_model.bin``), :func:`release_mapped` hands those pages
back to the kernel once they are packed, so a packed decoder costs no more memory than
the mapped one it replaces (a page touched again, e.g. an embedding row looked up, is read
back from the file).
"""

from __future__ import annotations

import ctypes
import mmap
import struct
from collections.abc import Iterable

import torch
from torch import nn

_MADV_DONTNEED = 4
_PAGEMAP_PRESENT = 1 << 63
_PAGEMAP_SWAPPED = 1 << 62
_PAGEMAP_FILE = 1 << 61  # a file page (or shared anonymous): not a private written copy


def packing_available(device: torch.device, dtype: torch.dtype = torch.float32) -> bool:
    """Packed float32 products on a CPU with oneDNN (every torch CPU wheel has it)."""
    return (
        device.type == "cpu"
        and dtype == torch.float32
        and torch.backends.mkldnn.is_available()
        and hasattr(torch.ops.mkldnn, "_reorder_linear_weight")
        and hasattr(torch.ops.mkldnn, "_linear_pointwise")
    )


class PackedLinear(nn.Module):
    """``y = x W^T + b`` for one or several linear layers with the same input (their outputs
    side by side), the weights packed once."""

    def __init__(self, *linears: nn.Linear, release: bool = True) -> None:
        """``release``: the originals' pages of a mapped weights file handed back as soon as
        they are packed (one matrix at a time, so packing a model never holds both copies
        of more than one matrix)."""
        super().__init__()
        weights = [linear.weight.detach() for linear in linears]
        weight = weights[0].contiguous() if len(weights) == 1 else torch.cat(weights, dim=0)
        bias = torch.cat([linear.bias.detach() for linear in linears], dim=0).contiguous()
        self.in_features = int(weight.shape[1])
        self.out_features = int(weight.shape[0])
        self.packed = torch.ops.mkldnn._reorder_linear_weight(weight, None)
        self.bias_values = bias.clone()
        self.released_bytes = release_mapped(weights) if release else 0
        # The originals, not registered as submodules: unpack_linears puts them back.
        self.__dict__["originals"] = linears

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        leading = x.shape[:-1]
        rows = x.reshape(-1, self.in_features).contiguous()
        out = torch.ops.mkldnn._linear_pointwise(
            rows, self.packed, self.bias_values, "none", [], ""
        )
        return out.view(*leading, self.out_features)


def _file_mappings() -> list[tuple[int, int]]:
    """(start, end) of this process's file-backed memory mappings."""
    ranges = []
    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            for line in maps:
                fields = line.split(maxsplit=5)
                if len(fields) < 6 or fields[4] == "0" or not fields[5].strip().startswith("/"):
                    continue  # anonymous memory (heap, stacks, copies): never released
                start, end = (int(x, 16) for x in fields[0].split("-"))
                ranges.append((start, end))
    except OSError:
        return []
    return ranges


def _only_file_pages(first: int, last: int, page: int) -> bool:
    """Whether every page in ``[first, last)`` is either not resident or an unwritten page of
    the mapped file (``/proc/self/pagemap``): a page written in place since mapping is a
    private anonymous copy, and a swapped one lives only in swap; ``MADV_DONTNEED`` would
    lose either (the file's old contents read back). Unreadable pagemap: False."""
    count = (last - first) // page
    try:
        with open("/proc/self/pagemap", "rb") as pagemap:
            pagemap.seek(first // page * 8)
            entries = pagemap.read(count * 8)
    except OSError:
        return False
    if len(entries) != count * 8:
        return False
    for (entry,) in struct.iter_unpack("<Q", entries):
        if entry & _PAGEMAP_SWAPPED:
            return False
        if entry & _PAGEMAP_PRESENT and not entry & _PAGEMAP_FILE:
            return False
    return True


def release_mapped(tensors: Iterable[torch.Tensor]) -> int:
    """Hand back to the kernel the resident pages of ``tensors`` that lie in a mapped file
    (the weights file mapped by ``from_pretrained``), whole pages inside each tensor only.
    Anonymous memory is never touched (there ``MADV_DONTNEED`` would zero it). The tensors
    stay valid: a page read again comes back from the file. A tensor with a page written
    since mapping (or swapped) is skipped whole. Returns the bytes released."""
    mappings = _file_mappings()
    if not mappings:
        return 0
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
    except OSError:
        return 0
    page = mmap.PAGESIZE
    released = 0
    seen: set[int] = set()
    for tensor in tensors:
        start = tensor.data_ptr()
        if start in seen or tensor.device.type != "cpu":
            continue
        seen.add(start)
        end = start + tensor.numel() * tensor.element_size()
        if not any(low <= start and end <= high for low, high in mappings):
            continue
        first = -(-start // page) * page
        last = end // page * page
        if (
            last > first
            and _only_file_pages(first, last, page)
            and libc.madvise(ctypes.c_void_p(first), ctypes.c_size_t(last - first), _MADV_DONTNEED)
            == 0
        ):
            released += last - first
    return released


def pack_linears(module: nn.Module) -> int:
    """Every ``nn.Linear`` inside ``module`` (an encoder: products of hundreds of rows, where
    packing gains less than at a decoding step but still gains) replaced by its packed
    copy, and the originals' mapped pages handed back. Returns the bytes released."""
    released = 0
    for parent in list(module.modules()):
        for name, child in list(parent.named_children()):
            if type(child) is nn.Linear:
                packed = PackedLinear(child)
                setattr(parent, name, packed)
                released += packed.released_bytes
    return released


def unpack_linears(module: nn.Module) -> None:
    """Undo :func:`pack_linears`: each packed layer replaced by its original ``nn.Linear``
    (on the mapped weights, read back from the file where handed back), the packed copies
    dropped."""
    for parent in list(module.modules()):
        for name, child in list(parent.named_children()):
            if type(child) is PackedLinear and len(child.originals) == 1:
                setattr(parent, name, child.originals[0])
