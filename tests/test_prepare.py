"""A digit drawn or photographed is prepared as MNIST's were: box to 20x20, centre of mass centred."""

import numpy as np
import pytest

from nnviz.data.prepare import NoDigit, prepare_digit

RESOURCES_DIGITS = 200


@pytest.fixture(scope="module")
def mnist(digits):
    """The first embedded digits as 28x28 grey images (light ink on black, as MNIST stores them)."""
    return digits.images[:RESOURCES_DIGITS].reshape(-1, 28, 28).astype(np.float32)


def on_paper(digit: np.ndarray, size: tuple[int, int], corner: tuple[int, int], scale: int = 1) -> np.ndarray:
    """The digit enlarged `scale` times (each pixel a scale x scale block) and put at `corner` of a
    page of `size`, still light on dark."""
    page = np.zeros(size, dtype=np.float32)
    big = np.kron(digit, np.ones((scale, scale), dtype=np.float32))
    page[corner[0] : corner[0] + big.shape[0], corner[1] : corner[1] + big.shape[1]] = big
    return page


def test_a_centred_mnist_digit_comes_back_nearly_unchanged(mnist):
    """Only the faintest edge pixels (paper noise, < 10% ink) go; a few digits whose centre of mass
    sits on the edge of a pixel move by one."""
    differences = np.array([np.abs(prepare_digit(digit) - digit).max() for digit in mnist])
    assert np.mean(differences <= 0.1 * 255) >= 0.95
    assert np.abs(prepare_digit(mnist[0]) - mnist[0]).max() <= 0.1 * 255


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(lambda d: on_paper(d, (60, 90), (30, 55)), id="off-centre"),
        pytest.param(lambda d: on_paper(d, (120, 100), (5, 12), scale=3), id="three times larger"),
        pytest.param(lambda d: 255 - d, id="inverted: dark ink on white"),
        pytest.param(lambda d: 255 - on_paper(d, (260, 300), (100, 30), scale=5), id="all three"),
    ],
)
def test_the_same_digit_anywhere_any_size_either_polarity_comes_back_the_same(mnist, variant):
    for digit in mnist[:20]:
        np.testing.assert_allclose(prepare_digit(variant(digit)), prepare_digit(digit), atol=1e-3)


def test_a_photo_grey_paper_with_noise_and_weak_ink_comes_back_as_the_clean_digit(mnist):
    rng = np.random.default_rng(0)
    digit = mnist[1]
    page = 200 - 0.6 * on_paper(digit, (84, 84), (20, 30))  # grey paper, ink at 60% contrast
    page += rng.normal(0, 3, page.shape)  # the paper's texture
    prepared = prepare_digit(page)
    assert np.abs(prepared - prepare_digit(digit)).mean() < 0.02 * 255
    assert prepared.max() == pytest.approx(255)


def test_the_bounding_box_fits_twenty_pixels_keeping_its_aspect_and_the_centre_of_mass_is_centred():
    bar = np.zeros((300, 300), dtype=np.float32)
    bar[40:240, 100:150] = 255  # a thick stroke 200 tall and 50 wide
    prepared = prepare_digit(bar)
    rows, columns = np.flatnonzero(prepared.any(axis=1)), np.flatnonzero(prepared.any(axis=0))
    assert (rows.size, columns.size) == (20, 5)  # 20 tall, still four times taller than wide
    centre = [(prepared.sum(axis=1 - a) * np.arange(28)).sum() / prepared.sum() for a in (0, 1)]
    np.testing.assert_allclose(centre, [14, 14], atol=0.5)


def test_edges_are_anti_aliased_to_grey_levels():
    """A disc drawn in black and white comes back with grey pixels round its rim, as MNIST's do."""
    rows, columns = np.mgrid[0:200, 0:200]
    disc = np.where((rows - 100) ** 2 + (columns - 100) ** 2 <= 90**2, 255.0, 0.0)
    prepared = prepare_digit(disc)
    grey = (prepared > 0) & (prepared < 250)
    assert prepared.max() == 255 and 8 <= grey.sum() <= 4 * 20  # the rim, not the inside


@pytest.mark.parametrize("blank", [np.zeros((28, 28)), np.full((280, 280), 255.0), np.full((5, 9), 128.0)])
def test_an_empty_drawing_asks_for_a_digit(blank):
    with pytest.raises(NoDigit, match="draw a digit first"):
        prepare_digit(blank)
