"""Packed linear layers (oneDNN's weight layout) and handing mapped weight pages back."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from pipeline.translation.packed import PackedLinear, packing_available, release_mapped

pytestmark = pytest.mark.skipif(
    not packing_available(torch.device("cpu")), reason="this torch has no oneDNN"
)


def _linear(inputs: int, outputs: int, seed: int) -> nn.Linear:
    torch.manual_seed(seed)
    return nn.Linear(inputs, outputs).eval()


@pytest.mark.parametrize("rows", [1, 3, 8, 33])
def test_packed_linear_computes_what_the_linear_computes(rows):
    linear = _linear(64, 96, 0)
    x = torch.randn(rows, 64)
    with torch.inference_mode():
        assert torch.allclose(PackedLinear(linear)(x), linear(x), atol=1e-5, rtol=1e-5)


def test_packed_linears_with_one_input_give_their_outputs_side_by_side():
    first, second, third = _linear(32, 16, 1), _linear(32, 8, 2), _linear(32, 24, 3)
    x = torch.randn(2, 5, 32)  # leading dimensions are kept
    with torch.inference_mode():
        got = PackedLinear(first, second, third)(x)
        want = torch.cat([first(x), second(x), third(x)], dim=-1)
    assert got.shape == (2, 5, 48)
    assert torch.allclose(got, want, atol=1e-5, rtol=1e-5)


def test_packing_copies_so_the_original_layer_is_unchanged():
    linear = _linear(16, 16, 4)
    before = linear.weight.detach().clone()
    PackedLinear(linear)
    assert torch.equal(linear.weight.detach(), before)


def test_released_pages_of_a_mapped_weights_file_read_back_the_same_values(tmp_path):
    path = tmp_path / "weights.pt"
    torch.save({"w": torch.randn(512, 1024)}, path)  # 2 MB: whole pages inside it
    mapped = torch.load(path, mmap=True, weights_only=True)["w"]
    expected = mapped.clone()
    assert release_mapped([mapped]) > 0
    assert torch.equal(mapped, expected)


def test_memory_that_is_not_a_mapped_file_is_never_released():
    tensor = torch.randn(512, 1024)  # anonymous memory: releasing it would zero it
    expected = tensor.clone()
    assert release_mapped([tensor]) == 0
    assert torch.equal(tensor, expected)


def test_a_packed_encoder_encodes_what_the_plain_one_encodes():
    from transformers import MarianConfig, MarianMTModel

    from pipeline.translation.packed import pack_linears

    config = MarianConfig(
        vocab_size=60,
        d_model=32,
        encoder_layers=2,
        decoder_layers=1,
        encoder_attention_heads=4,
        decoder_attention_heads=4,
        encoder_ffn_dim=64,
        decoder_ffn_dim=64,
        pad_token_id=59,
        decoder_start_token_id=59,
        max_position_embeddings=64,
    )
    torch.manual_seed(5)
    model = MarianMTModel(config).eval()
    ids = torch.tensor([[5, 9, 13, 2, 0], [7, 8, 2, 59, 59]])
    mask = (ids != 59).long()
    with torch.inference_mode():
        want = model.get_encoder()(input_ids=ids, attention_mask=mask).last_hidden_state
        pack_linears(model.get_encoder())
        got = model.get_encoder()(input_ids=ids, attention_mask=mask).last_hidden_state
    assert not any(type(m) is nn.Linear for m in model.get_encoder().modules())
    assert torch.allclose(got, want, atol=1e-5, rtol=1e-5)


def test_release_mapped_skips_a_tensor_written_in_place_after_mapping(tmp_path):
    path = tmp_path / "weights.pt"
    torch.save({"w": torch.randn(512, 1024)}, path)
    mapped = torch.load(path, mmap=True, weights_only=True)["w"]
    mapped.add_(1.0)  # every page now a private written copy: DONTNEED would lose it
    expected = mapped.clone()
    assert release_mapped([mapped]) == 0
    assert torch.equal(mapped, expected)


def test_release_mapped_skips_a_tensor_with_one_written_page(tmp_path):
    path = tmp_path / "weights.pt"
    torch.save({"w": torch.randn(512, 1024)}, path)
    mapped = torch.load(path, mmap=True, weights_only=True)["w"]
    mapped[300, 5] = 42.0  # one page written, the rest still the file's
    expected = mapped.clone()
    assert release_mapped([mapped]) == 0
    assert torch.equal(mapped, expected)


def test_unpack_restores_the_original_modules_and_their_outputs():
    from pipeline.translation.packed import pack_linears, unpack_linears

    model = nn.Sequential(_linear(16, 32, 5), nn.ReLU(), _linear(32, 8, 6)).eval()
    originals = [model[0], model[2]]
    x = torch.randn(3, 16)
    with torch.inference_mode():
        want = model(x)
        pack_linears(model)
        assert type(model[0]) is PackedLinear
        assert torch.allclose(model(x), want, atol=1e-5, rtol=1e-5)
        unpack_linears(model)
        assert [model[0], model[2]] == originals
        assert torch.equal(model(x), want)
