/** Caption templates: modality / organ / view, with normal-state and abnormal-state variants for medical images. */
import type { Rng } from "../../util/random/rng";
import type { CaptionKind, CaptionSubject } from "./types";

const MASS_NOUNS = new Set(["cells", "colon tissue"]);

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? "an" : "a";
}

function pick(rng: Rng, options: readonly string[]): string {
  return options[Math.min(options.length - 1, Math.floor(rng.next() * options.length))];
}

/** The thing shown ("axial brain MRI slice", "fundus photograph"), without article. */
function medicalNoun(s: CaptionSubject): string {
  if (s.modality === "MRI") return `${s.view ? `${s.view} ` : ""}${s.organ} MRI slice`;
  return s.modality;
}

export function captionFor(s: CaptionSubject, kind: CaptionKind, rng: Rng): string {
  if (kind === "plain") {
    const p = s.phrase ?? s.modality;
    return pick(rng, [`a photo of ${p}`, `a picture of ${p}`, `an image of ${p}`, p]);
  }
  const noun = medicalNoun(s);
  const a = article(noun);
  const organ = s.organ ?? "tissue";
  if (s.modality === "MRI") {
    const v = s.view ? `${s.view} ` : "";
    const av = article(v || "MRI");
    if (kind === "normal") {
      return pick(rng, [
        `${a} ${noun}`, `${av} ${v}MRI slice of a healthy ${organ}`, `${av} ${v}MRI slice of a normal ${organ}`,
        `${a} ${noun} with no abnormality`,
      ]);
    }
    return pick(rng, [
      `${a} ${noun} with an abnormal region`, `${av} ${v}MRI slice of a ${organ} with a lesion`,
      `${a} ${noun} showing an anomaly`, `${av} ${v}MRI slice of an abnormal ${organ}`,
    ]);
  }
  // Mass nouns ("cells", "colon tissue") take no article.
  const of = !s.organ ? "" : MASS_NOUNS.has(organ) ? ` of ${organ}` : ` of ${article(organ)} ${organ}`;
  if (kind === "normal") {
    const healthy = s.organ ? ` of ${s.organ === "retina" ? "a healthy retina" : `healthy ${organ}`}` : "";
    return pick(rng, [`${a} ${noun}${of}`, `${a} ${noun}${healthy}`, `${a} ${noun}${of} with no abnormality`]);
  }
  return pick(rng, [`${a} ${noun}${of} with an abnormal region`, `${a} ${noun}${of} showing an anomaly`,
    `${a} ${noun}${of} with a lesion`]);
}
