import { deckSlides } from "./slide-deck";

/**
 * How large a diagram is drawn on a Marp slide: for each image of a deck, the box Marp gives it (a split background
 * fitted into N% of the slide, or an inline image under the slide's title, within the content box), from the deck's
 * own `<style>` over its theme's CSS. The readability test (__tests__/docs/diagram-on-slides.test.ts) turns that
 * size into the size of every label of the view.
 */

/** A slide's size, in pixels (Marp's `size: 16:9`). */
export interface SlideSize {
  readonly width: number;
  readonly height: number;
}

/** One image of a deck and the width, in pixels, it is drawn at on its slide. */
export interface ImageOnSlide {
  /** 1-based, as Marp paginates. */
  readonly slide: number;
  readonly title: string;
  /** The image's path as written in the deck. */
  readonly target: string;
  /** `background` for `![bg ...]`, `inline` otherwise. */
  readonly kind: "background" | "inline";
  /** The box the image is fitted into, in pixels. */
  readonly box: SlideSize;
  /** Width the image is drawn at, in pixels, given its aspect ratio (width over height). */
  readonly drawnWidth: (aspect: number) => number;
}

/** A front-matter setting of a deck (`theme`, `size`). */
export function frontMatter(markdown: string, key: string): string | undefined {
  const block = /^---\n([\s\S]*?)\n---\n/.exec(markdown)?.[1] ?? "";
  return new RegExp(`^${key}:\\s*(.+)$`, "m").exec(block)?.[1].trim();
}

/** The slide size a theme declares for a `size` preset (`@size 16:9 1280px 720px`), by default its first. */
export function themeSlideSize(themeCss: string, preset: string | undefined): SlideSize {
  const sizes = [...themeCss.matchAll(/@size\s+(\S+)\s+(\d+(?:\.\d+)?)px\s+(\d+(?:\.\d+)?)px/g)];
  const found = sizes.find((size) => size[1] === preset) ?? sizes[0];
  if (!found) throw new Error("the theme declares no @size");
  return { width: Number(found[2]), height: Number(found[3]) };
}

interface Rule {
  readonly selectors: string[];
  readonly declarations: Readonly<Record<string, string>>;
}

/** The rules of a style sheet: selectors and declarations, comments and at-rule blocks' wrappers left out. */
function rules(css: string): Rule[] {
  const found: Rule[] = [];
  for (const [, selectors, body] of css.replace(/\/\*[\s\S]*?\*\//g, "").matchAll(/([^{}@;]+)\{([^{}]*)\}/g)) {
    const declarations: Record<string, string> = {};
    for (const declaration of body.split(";")) {
      const colon = declaration.indexOf(":");
      if (colon > 0) declarations[declaration.slice(0, colon).trim()] = declaration.slice(colon + 1).replace(/!important/, "").trim();
    }
    found.push({ selectors: selectors.split(",").map((selector) => selector.trim().replace(/\s+/g, " ")), declarations });
  }
  return found;
}

type Element = "section" | "h2" | "p" | "img";

/**
 * The specificity with which `selector` selects `element` of a slide of class `className`, or undefined when it does
 * not (only the simple selectors a deck writes: `section`, `section.x`, `h2`, `section h2`, `section.x img`, ...).
 */
function specificity(selector: string, element: Element, className: string | undefined): number | undefined {
  const match = /^(?:section(?:\.([\w-]+))?)?(?: ?(h2|p|img))?$/.exec(selector);
  if (!match || selector === "") return undefined;
  const [, sectionClass, child] = match;
  const target: Element = child ? (child as Element) : "section";
  if (target !== element) return undefined;
  if (sectionClass !== undefined && sectionClass !== className) return undefined;
  if (!child && !selector.startsWith("section")) return undefined;
  // Marpit scopes every rule of a theme or a deck to the slide: `h2` is `section h2`.
  return 1 + (sectionClass ? 10 : 0) + (child ? 1 : 0);
}

/** A slide's computed style, from the theme's rules then the deck's (later and more specific rules win). */
export class SlideStyle {
  private readonly all: Rule[];

  constructor(themeCss: string, deckCss: string) {
    this.all = [...rules(themeCss), ...rules(deckCss)];
  }

  /** The declared value of `property` for `element` on a slide of class `className`. */
  value(element: Element, property: string, className?: string): string | undefined {
    return this.winner(element, property, className)?.value;
  }

  /** The winning declaration of `property`: its value, specificity and position (later wins on equal specificity). */
  private winner(element: Element, property: string, className?: string): { value: string; specificity: number; order: number } | undefined {
    let best: { value: string; specificity: number; order: number } | undefined;
    this.all.forEach((rule, order) => {
      const value = rule.declarations[property];
      if (value === undefined) return;
      for (const selector of rule.selectors) {
        const found = specificity(selector, element, className);
        if (found !== undefined && (!best || found >= best.specificity)) best = { value, specificity: found, order };
      }
    });
    return best;
  }

  /** A custom property of the section (`--base-size-16`). */
  private variable(name: string, className?: string): string | undefined {
    return this.value("section", name, className);
  }

  /** A length in pixels: `px`, `em` of `emBase`, `%` of `percentBase`, `var(--x, fallback)`, a unitless number times `emBase`. */
  pixels(value: string | undefined, emBase: number, percentBase: number, className?: string): number | undefined {
    if (value === undefined || value === "none" || value === "auto") return undefined;
    const variable = /^var\((--[\w-]+)(?:,\s*(.+))?\)$/.exec(value);
    if (variable) return this.pixels(this.variable(variable[1], className) ?? variable[2], emBase, percentBase, className);
    const number = /^(-?\d*\.?\d+)(px|em|rem|%)?$/.exec(value);
    if (!number) return undefined;
    const amount = Number(number[1]);
    return number[2] === "px" ? amount : number[2] === "%" ? (amount * percentBase) / 100 : number[2] === "rem" ? amount * 16 : amount * emBase;
  }

  /** The four sides of a `padding` or `margin`, in pixels: the shorthand, or a side's own declaration where it wins. */
  sides(element: Element, property: "padding" | "margin", emBase: number, className?: string): { top: number; right: number; bottom: number; left: number } {
    const shorthand = this.winner(element, property, className);
    const parts = (shorthand?.value ?? "0").split(/\s+(?![^(]*\))/).map((part) => this.pixels(part, emBase, 0, className) ?? 0);
    const [top, right = top, bottom = top, left = right] = parts;
    const side = (name: string, fallback: number) => {
      const own = this.winner(element, `${property}-${name}`, className);
      const wins = own && (!shorthand || own.specificity > shorthand.specificity || (own.specificity === shorthand.specificity && own.order > shorthand.order));
      return wins ? (this.pixels(own.value, emBase, 0, className) ?? fallback) : fallback;
    };
    return { top: side("top", top), right: side("right", right), bottom: side("bottom", bottom), left: side("left", left) };
  }
}

/** The average advance of a character of a slide's sans-serif font, as a share of its size (bold, a little wide). */
const CHARACTER_WIDTH = 0.6;

/** Lines a text of `characters` characters takes at `fontSize` in a box `width` wide. */
const linesOf = (characters: number, fontSize: number, width: number) => Math.max(1, Math.ceil((characters * fontSize * CHARACTER_WIDTH) / width));

const IMAGE = /!\[([^\]]*)\]\(([^)\s]+)\)/g;

/**
 * Every image of a deck (`markdown`, its `<style>` over the theme's CSS `themeCss`) and the size Marp draws it at:
 * a background (`![bg ...]`) fills its share of the slide, or of the `left:N%`/`right:N%` split, `contain`/`fit`
 * keeping all of it in view, `cover` (Marp's default) filling it; an inline image is at most the content box's width
 * (the slide less its padding, or its CSS max-width) and the height left under the title and the slide's other text
 * (or its CSS max-height, when smaller). `w:`/`h:` sizes are taken as written.
 */
export function imagesOnSlides(markdown: string, themeCss: string): ImageOnSlide[] {
  const slide = themeSlideSize(themeCss, frontMatter(markdown, "size"));
  const deckCss = [...markdown.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((match) => match[1]).join("\n");
  const style = new SlideStyle(themeCss, deckCss);
  const found: ImageOnSlide[] = [];
  deckSlides(markdown).forEach((text, index) => {
    const className = /<!--\s*_?class:\s*([\w-]+)\s*-->/.exec(text)?.[1];
    const title = /^#+ (.+)$/m.exec(text)?.[1] ?? "";
    const images = [...text.matchAll(IMAGE)].map((match) => ({ options: match[1].split(/\s+/).filter(Boolean), target: match[2] }));
    const backgrounds = images.filter((image) => image.options.includes("bg"));
    for (const image of backgrounds) {
      const split = image.options.map((option) => /^(left|right)(?::(\d*\.?\d+)%)?$/.exec(option)).find(Boolean);
      const share = split ? Number(split[2] ?? 50) / 100 : 1;
      const vertical = image.options.includes("vertical");
      const count = backgrounds.length;
      const box = { width: (slide.width * share) / (vertical ? 1 : count), height: slide.height / (vertical ? count : 1) };
      const contain = image.options.some((option) => option === "contain" || option === "fit");
      const zoom = image.options.map((option) => /^(\d*\.?\d+)%$/.exec(option)).find(Boolean);
      found.push({
        slide: index + 1,
        title,
        target: image.target,
        kind: "background",
        box,
        drawnWidth: (aspect) =>
          zoom ? (box.width * Number(zoom[1])) / 100 : contain ? Math.min(box.width, box.height * aspect) : Math.max(box.width, box.height * aspect),
      });
    }
    const inline = images.filter((image) => !image.options.includes("bg"));
    if (!inline.length) return;
    // The content box: the slide less the section's padding.
    const sectionFont = style.pixels(style.value("section", "font-size", className), 16, 0, className) ?? 16;
    const padding = style.sides("section", "padding", sectionFont, className);
    const content = { width: slide.width - padding.left - padding.right, height: slide.height - padding.top - padding.bottom };
    // The title: its lines, line height, bottom padding and bottom margin (it is the slide's first element: no top margin).
    const headingFont = style.pixels(style.value("h2", "font-size", className), sectionFont, 0, className) ?? sectionFont * 1.5;
    const headingLineHeight = Number(style.value("h2", "line-height", className) ?? 1.25);
    const headingPadding = style.sides("h2", "padding", headingFont, className);
    const headingMargin = style.sides("h2", "margin", headingFont, className);
    const headingHeight = title
      ? linesOf(title.length, headingFont, content.width) * headingFont * headingLineHeight + headingPadding.bottom + headingMargin.bottom
      : 0;
    // The slide's other text: every line that is not the title, an image, a comment or a style.
    const prose = text
      .replace(/<!--[\s\S]*?-->/g, "")
      .replace(/<style>[\s\S]*?<\/style>/g, "")
      .split("\n")
      .filter((line) => line.trim() && !/^#+ /.test(line) && !/!\[[^\]]*\]\([^)]*\)/.test(line));
    const bodyLineHeight = Number(style.value("section", "line-height", className) ?? 1.5);
    const paragraphMargin = style.sides("p", "margin", sectionFont, className).bottom;
    const proseHeight = prose.reduce((sum, line) => sum + linesOf(line.length, sectionFont, content.width) * sectionFont * bodyLineHeight + paragraphMargin, 0);
    const maxWidth = style.pixels(style.value("img", "max-width", className), sectionFont, content.width, className) ?? content.width;
    const maxHeight = style.pixels(style.value("img", "max-height", className), sectionFont, content.height, className);
    const left = content.height - headingHeight - proseHeight;
    const box = { width: Math.min(maxWidth, content.width), height: Math.min(maxHeight ?? left, left) / inline.length };
    for (const image of inline) {
      const width = image.options.map((option) => /^(?:w|width):(\d*\.?\d+)(?:px)?$/.exec(option)).find(Boolean);
      const height = image.options.map((option) => /^(?:h|height):(\d*\.?\d+)(?:px)?$/.exec(option)).find(Boolean);
      found.push({
        slide: index + 1,
        title,
        target: image.target,
        kind: "inline",
        box,
        drawnWidth: (aspect) => (width ? Number(width[1]) : height ? Number(height[1]) * aspect : Math.min(box.width, box.height * aspect)),
      });
    }
  });
  return found;
}
