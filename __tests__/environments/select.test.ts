import { selectEnvironments } from "../../environments";
import { ENVIRONMENTS } from "../helpers/environments";

const names = (selector: string | undefined) => selectEnvironments(ENVIRONMENTS, selector).map((env) => env.name);

describe("SYNTH_ENVIRONMENTS", () => {
  it("selects every environment when unset or empty", () => {
    expect(names(undefined)).toEqual(["dev", "staging", "prod"]);
    expect(names(" , ")).toEqual(["dev", "staging", "prod"]);
  });

  it("limits the synth to the named environments, in promotion order", () => {
    expect(names("prod, dev")).toEqual(["dev", "prod"]);
  });

  it("rejects an unknown name and lists the known ones", () => {
    expect(() => names("dev,qa")).toThrow(
      "Invalid environment configuration (1 problem):\n  - qa: SYNTH_ENVIRONMENTS: is not a known environment (known: dev, staging, prod)",
    );
  });
});
