"""Pictures that redraw in place: one matplotlib figure per widget for its whole life.

A slider move changes the data of the figure's artists (or redraws its axes), then the
figure is rendered once more into PNG bytes that replace the `value` of an
ipywidgets.Image: no new figure, no cleared output, no new picture element in the page,
so the browser swaps the pixels of the picture it already shows.  Rendering stays in the
kernel (matplotlib's Agg), so the same callbacks run in plain pytest and the figure can be
inspected there (LiveFigure.figure).

A widget built on a LiveFigure is displayed with a PNG of its current picture beside its
live view (LiveInteractive): a page rendered without a kernel (nbconvert, GitHub, a book
site) shows that picture where the widget would be.
"""

import base64
import io

import ipywidgets as widgets
import numpy as np
import PIL.Image
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

# 100 dots per inch: an 8-inch-wide figure is 800 pixels, what the inline backend showed
LIVE_DPI = 100
# zlib level 1: a few kB larger than the default 6, a few ms faster per picture
PNG_COMPRESSION = 1
# padding around the tight box of the figure's content, inches
PAD_INCHES = 0.05


class LiveFigure:
    """One figure (Agg, not managed by pyplot: it never shows up by itself in a notebook
    and never needs closing) and the ipywidgets.Image that shows it.

    nrows, ncols, figsize, gridspec_kw: as for matplotlib's subplots; or mosaic, a
    layout of named panels as for subplot_mosaic (then `panels` maps each name to its
    axes).  slack: inches kept free around the content's first box, for figures
    rendered with relayout=False whose labels change a little from move to move.
    `axes` is the list of the figure's axes; `image` the widget to put in a layout; `png` the
    bytes last rendered.
    """

    def __init__(
        self, nrows=1, ncols=1, figsize=(8, 3), gridspec_kw=None, mosaic=None, slack=0.0
    ):
        self.figure = Figure(figsize=figsize, dpi=LIVE_DPI)
        # Agg draws into memory, whatever backend pyplot uses
        self.canvas = FigureCanvasAgg(self.figure)
        if mosaic is None:
            grid = self.figure.subplots(
                nrows, ncols, gridspec_kw=gridspec_kw, squeeze=False
            )
            self.axes = list(grid.flat)
        else:
            # named panels (matplotlib's subplot_mosaic): `panels` maps name -> axes
            self.panels = self.figure.subplot_mosaic(mosaic, gridspec_kw=gridspec_kw)
            self.axes = list(self.panels.values())
        # the picture never overflows its output area: it shrinks to fit
        self.image = widgets.Image(
            format="png", layout={"max_width": "100%", "height": "auto"}
        )
        self.png = b""
        self._box = None
        self._slack = slack
        self._background = None
        self._moving = []

    def clear(self):
        """Empty every axes (for pictures whose artists change in number), keeping the
        figure; colorbars added later are removed too."""
        for ax in self.figure.axes[len(self.axes) :]:
            ax.remove()
        for ax in self.axes:
            ax.clear()
        self._moving = []

    def animate(self, artists):
        """Mark artists whose data change at every move (images, lines): the figure is
        drawn without them once (the background: axes, ticks, labels, colour bars), and
        render(full=False) draws only them over a copy of it (blitting)."""
        for artist in artists:
            artist.set_animated(True)
            self._moving.append(artist)

    def render(self, relayout=True, full=True):
        """Draw the figure and show it in `image` as PNG bytes; returns the bytes.

        relayout: find the tight box around the content again (labels and legends
        outside the axes included); False reuses the last box, for moves that change
        only the data inside fixed axes.  full: draw everything (needed after a change
        of limits, labels, colour scales); False draws only the animated artists over
        the saved background (blitting), for content inside the figure.
        """
        canvas = self.canvas
        # a drawing made for the layout is also the background (animated artists are
        # left out of every full drawing)
        drawn = relayout or self._box is None
        if drawn:
            canvas.draw()
            renderer = canvas.get_renderer()
            self._box = self.figure.get_tightbbox(renderer).padded(
                PAD_INCHES + self._slack
            )
        if not self._inside():
            # content reaches past the figure (a legend beside the axes): savefig
            # draws onto a canvas of the box's size
            return self._show(self._saved_png())
        if drawn or full or self._background is None:
            if not drawn:
                canvas.draw()
            self._background = canvas.copy_from_bbox(self.figure.bbox)
        else:
            canvas.restore_region(self._background)
        for artist in self._moving:
            self.figure.draw_artist(artist)
        x0, y0, x1, y1 = self._pixel_box()
        # (height, width, 4) RGBA pixels, cropped to the content, alpha dropped
        pixels = np.asarray(canvas.buffer_rgba())[y0:y1, x0:x1, :3]
        buffer = io.BytesIO()
        PIL.Image.fromarray(pixels).save(
            buffer, format="png", compress_level=PNG_COMPRESSION
        )
        return self._show(buffer.getvalue())

    def _show(self, png):
        self.png = png
        self.image.value = png
        return png

    def _saved_png(self):
        buffer = io.BytesIO()
        self.figure.savefig(
            buffer,
            format="png",
            bbox_inches=self._box,
            pil_kwargs={"compress_level": PNG_COMPRESSION},
        )
        return buffer.getvalue()

    def _inside(self):
        """Whether the content's box lies within the figure."""
        width, height = self.figure.get_size_inches()
        box = self._box
        return box.x0 >= 0 and box.y0 >= 0 and box.x1 <= width and box.y1 <= height

    def _pixel_box(self):
        """The content's box in the pixel buffer: (x0, y0, x1, y1), rows downwards."""
        dpi = self.figure.dpi
        height = self.canvas.get_width_height()[1]
        box = self._box
        x0, x1 = int(box.x0 * dpi), int(np.ceil(box.x1 * dpi))
        # matplotlib's y runs upwards, the buffer's rows downwards
        return x0, int(height - box.y1 * dpi), x1, int(np.ceil(height - box.y0 * dpi))


class LiveInteractive(widgets.interactive):
    """ipywidgets.interactive whose controls sit above a LiveFigure's picture and the
    printout below it; displayed, it also carries the picture as image/png, which a page
    without a kernel shows in the widget's place.

    Built with `live=` (a LiveFigure) and then exactly as ipywidgets.interactive.
    """

    def __init__(self, f, live, **kwargs):
        self.live = live
        super().__init__(f, **kwargs)
        # controls, the picture, then the printout
        self.children = (*self.children[:-1], live.image, self.out)

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle is not None and self.live.png:
            bundle["image/png"] = base64.b64encode(self.live.png).decode("ascii")
        return bundle
