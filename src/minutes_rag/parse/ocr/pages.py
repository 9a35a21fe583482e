"""The pages of a scanned document as images, one at a time: a PDF's pages rendered by
pdfium (``pypdfium2``, which ships its binary), an image file's frames (a multi-page TIFF
has several) through Pillow. Rendering page by page keeps memory at one page per worker,
whatever the number of pages."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from minutes_rag.errors import ParseError

if TYPE_CHECKING:
    from PIL.Image import Image

__all__ = ["IMAGE_EXTENSIONS", "RENDER_LONG_SIDE", "PageSource"]

IMAGE_EXTENSIONS: tuple[str, ...] = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
# A page is rendered with its long side at this many pixels: RapidOCR shrinks any larger
# image to its ``max_side_len`` of 2000 before detection, so more pixels only cost time.
RENDER_LONG_SIDE = 2000
# A 3x3 median filter before OCR: scanner speckle otherwise splits the detector's boxes,
# and a thin first character is lost (一、 at the start of an item line; seen on a
# three-line probe page of bench renderings, not on the benchmark's minutes); 3 is the
# smallest window, so strokes of body text survive it.
DESPECKLE = 3
# a page image larger than this is refused (a decompression bomb, not a scan)
MAX_PIXELS = 60_000_000


class PageSource:
    """The pages of one document (``kind`` "pdf" or "image") from its bytes."""

    def __init__(self, kind: str, data: bytes, path: str) -> None:
        self.kind, self.data, self.path = kind, data, path
        self._doc: Any = None

    def _open(self) -> Any:
        if self._doc is not None:
            return self._doc
        if self.kind == "pdf":
            import pypdfium2 as pdfium

            try:
                self._doc = pdfium.PdfDocument(self.data)
            except Exception as exc:  # noqa: BLE001 - pdfium raises its own error kinds
                raise ParseError(self.path, f"cannot render the PDF's pages: {exc}") from exc
        else:
            from PIL import Image

            Image.MAX_IMAGE_PIXELS = MAX_PIXELS
            try:
                self._doc = Image.open(io.BytesIO(self.data))
                self._doc.load()
            except Exception as exc:  # noqa: BLE001 - Pillow raises many kinds on broken images
                raise ParseError(self.path, f"not a readable image ({exc.__class__.__name__}: {exc})") from exc
        return self._doc

    def __len__(self) -> int:
        doc = self._open()
        if self.kind == "pdf":
            return len(doc)
        return int(getattr(doc, "n_frames", 1))

    def image(self, index: int) -> Image:
        """Page ``index`` (0-based) as a greyscale image, despeckled."""
        from PIL import ImageFilter

        return self._raw(index).filter(ImageFilter.MedianFilter(DESPECKLE))

    def _raw(self, index: int) -> Image:
        doc = self._open()
        if self.kind == "pdf":
            page = doc[index]
            w, h = page.get_size()
            scale = RENDER_LONG_SIDE / max(w, h, 1.0)
            try:
                return page.render(scale=scale, grayscale=True).to_pil().convert("L")
            finally:
                page.close()
        doc.seek(index)
        img = doc.convert("L")
        if max(img.size) > RENDER_LONG_SIDE * 1.5:  # a 600-dpi scan: detection does not need it
            img.thumbnail((RENDER_LONG_SIDE, RENDER_LONG_SIDE))
        return img

    def close(self) -> None:
        if self._doc is not None:
            self._doc.close()
            self._doc = None
