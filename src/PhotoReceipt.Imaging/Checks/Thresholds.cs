namespace PhotoReceipt.Imaging.Checks;

/// <summary>
/// Limits of the checks, each set by measuring the 32 labelled photos of the development set and
/// the five fixtures (see the Imaging README for the values seen): usable photos pass with margin,
/// the photo labelled with the rule fails.
/// </summary>
internal static class Thresholds
{
    // Head pose, degrees. Pitch is read against the canonical face's neutral: frontal photos
    // read about −5° (the mesh's own convention, not a tilt).
    public const double YawPass = 10, YawWarn = 20;
    public const double PitchNeutral = -5, PitchPass = 12, PitchWarn = 20;
    public const double RollPass = 8;
    // Other faces at least this share of the subject's width are people in the photo, not specks
    // far behind (those go with the background).
    public const double OtherFaceSize = 0.2, OtherFaceScore = 0.6;

    // Eyes: lid gap over eye width of the less open eye (open eyes read 0.18–0.38, smiling squints included).
    public const double EyesOpenPass = 0.17, EyesOpenWarn = 0.12;
    // Mouth: inner-lip gap over mouth width. Closed ≤ 0.06; parted lips warn; beyond 0.12 the mouth
    // is open: a smile (corners lifted by 3 % of the mouth width, or a third of the gap is teeth)
    // is warned, an open mouth (talking, surprise) fails.
    public const double MouthPass = 0.06, MouthOpen = 0.12;
    public const double SmileLift = 0.03, SmileTeeth = 0.3;
    // Lips at most this much redder (CIE a*) than the cheeks in a colour photo (cheeks' a* ≥ 5):
    // something covers the mouth.
    public const double LipContrastMin = 0, ColourPhotoChroma = 5;

    // Glasses: the whites of the eyes (brightest tenth of the openings) against the skin; tinted
    // lenses darken them (clear glasses read 0.48–1.46 on the development set). Glare: share of
    // near-white pixels around the eyes.
    public const double ScleraFail = 0.35;
    public const double GlareWarn = 0.03, GlareFail = 0.08;
    // Hair over the brows: share of the strip above the eyebrows that is skin (bangs to the brows read 0.15–0.25).
    public const double ForeheadSkinPass = 0.3, ForeheadSkinWarn = 0.08;
    // Headwear: share of not-hair-coloured person pixels above the forehead (a red cap reads 0.6,
    // blonde hair 0.03); or the person wider than this many face widths just above the forehead
    // (a brim; big curly hair reads 1.6), up to where other people merge into the outline.
    public const double HeadwearColourFail = 0.2;
    public const double BrimWidth = 1.8, BrimWidthUnknown = 3;

    // Image quality on the face.
    public const double SharpnessPass = 60, SharpnessWarn = 30;
    public const double ExposureLowPass = 75, ExposureLowWarn = 55, ExposureHighPass = 225, ExposureHighWarn = 240;
    public const double LightingPass = 0.4, LightingWarn = 0.55;

    // Matte certainty: share of the head's edge where hair and the old background are too alike
    // in colour for the edge to be refined (dark hair on a dark wall).
    public const double LowContrastEdgeWarn = 0.4;
    // Another person or object touching the subject: beside the head, above the shoulders, the
    // outline rises again by this many face widths after descending from the crown.
    public const double NeighbourRiseFail = 0.2;
    // The head top from the matte may not lie inside the skull: eye-to-top at least this share of eye-to-chin.
    public const double MinTopOverChin = 0.8;
    // Hair meeting the photo's own top edge over this many face widths: the head is cut (once the
    // head is levelled the edge shows as a straight line through the hair).
    public const double TopCutFail = 0.25;

    // Tight crops: the clothing may be continued past the photo's bottom edge by this share of
    // the output height (warned, marked on the reviewer preview); beyond it, shoulders are missing.
    public const double ExtensionWarn = 0.0, ExtensionFail = 0.04;
    // The same at the left and right edges, as a share of the output's area.
    public const double SideExtensionFail = 0.06;

    public const double ClothingContrastPass = 60;
    public const double WhiteClothingLuma = 200;
    public const double RedClothingFail = 0.25;
    public const double DarkClothingLuma = 140;
}
