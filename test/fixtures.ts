// The fixture hospital is shared with the eval suites, which start every scenario from it.
export { miniHospital } from '../evals/hospital.ts';
