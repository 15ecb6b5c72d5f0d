/** Background and ink: the options, the detection and their application to a conversion. */
export {
  backgroundFromWord,
  backgroundOptionSchema,
  backgroundWordSchema,
  DEFAULT_INK,
  inkOptionSchema,
  resolveInk,
  type BackgroundOption,
} from './background-options';
export { invertRgba, paintBackground, planBackground, type BackgroundPlan } from './apply-background';
export { detectBackground, type DetectedBackground } from './detect-background';
