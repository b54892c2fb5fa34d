// Texts shipped inside the generated dataset folder: the data licence/attribution and a short README.

export const LICENSE_DATA = `# demo-brainmri: data licence and attribution

Demo data in this folder is derived from the Colin27 ("ch2") average T1 MRI as distributed in the Debian package
mricron-data 1.2.20211006+dfsg-4 (file /usr/share/mricron/templates/ch2bet.nii.gz, the skull-stripped volume). The
source volume is vendored unchanged in data/source/colin27/ with its notice.

- Colin27: Copyright (C) Louis Collins, McConnell Brain Imaging Centre, Montreal Neurological Institute, McGill
  University. Permission to use, copy, modify, and distribute this data is granted provided the copyright notice
  appears in all copies. [The exact MNI wording must be verified against the original MNI release before a public
  release of MedAD Lab.]
- mricron-data packaging: BSD-3-Clause, Copyright 2006-2010 Chris Rorden (Debian's copyright file puts every file of
  the package under this licence; full text in data/source/colin27/NOTICE.md).
- Cite: Holmes CJ, Hoge R, Collins L, Woods R, Toga AW, Evans AC. Enhancement of MR images using registration for
  signal averaging. J Comput Assist Tomogr 1998;22(2):324-333.

All lesions are synthetic. The pseudo-FLAIR contrast, the pseudo-subjects' deformations, bias fields and noise are
simulated from one healthy volunteer. Not for clinical use, and not a benchmark: results on this set say nothing
about performance on real patients.
`;

export const README_DATA = `# demo-brainmri

A small brain-MRI anomaly-detection set in the MVFA/BMAD layout, generated reproducibly by \`medad data make-demo\`
(or \`npm run data:demo\`) from the Colin27 T1 volume (see LICENSE-DATA.md). Regenerating gives byte-identical files.

- \`Brain_AD/valid/{good,Ungood}/img\`, \`Brain_AD/valid/Ungood/anomaly_mask\`: the k-shot pool (16 + 16).
- \`Brain_AD/test/{good,Ungood}/img\`, \`Brain_AD/test/Ungood/anomaly_mask\`: the test set (48 + 48).
- Images: 240x240 8-bit grey PNG, pseudo-FLAIR contrast; masks: same file name, 0/255.
- File names \`{pseudo-subject:05d}_{source slice z}.png\`; subjects 0-3 are valid only, 4-11 test only; valid uses even
  and test odd source slices.
- \`manifest.csv\`: every image with label, mask, class and \`anomaly_type\` (\`mass\` or \`small_lesions\`), the two
  anomaly categories for multi-anomaly experiments.
- \`meta.json\`: the seed, source checksum, every pseudo-subject's parameters and every lesion's parameters.
- \`fewshot_seed/Brain/{1,2,4,8,16}-shot.txt\`: MVFA-format support lists (\`a-0: ...\`, \`n-0: ...\`), nested.
`;
