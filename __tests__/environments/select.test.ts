import { selectEnvironments } from "../../environments";
import { TIERS } from "../../environments/schema";
import { ENVIRONMENTS } from "../helpers/environments";

const names = (selector: string | undefined) => selectEnvironments(ENVIRONMENTS, selector).map((env) => env.name);
const ALL = ENVIRONMENTS.map((env) => env.name);
/** A name no environment can have (names are lowercase letters and digits): unknown whatever environments exist. */
const UNKNOWN = "not-an-environment";

describe("SYNTH_ENVIRONMENTS", () => {
  it("selects every environment when unset or empty, in promotion order (development, staging, production)", () => {
    expect(names(undefined)).toEqual(ALL);
    expect(names(" , ")).toEqual(ALL);
    const ranks = ENVIRONMENTS.map((env) => TIERS.indexOf(env.tier));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });

  it("limits the synth to the named environments, in promotion order", () => {
    const [first, , last] = ALL;
    expect(names(`${last}, ${first}`)).toEqual([first, last]);
  });

  it("rejects an unknown name and lists the known ones", () => {
    expect(() => names(`${ALL[0]},${UNKNOWN}`)).toThrow(
      `Invalid environment configuration (1 problem):\n  - ${UNKNOWN}: SYNTH_ENVIRONMENTS: is not a known environment (known: ${ALL.join(", ")})`,
    );
  });
});
