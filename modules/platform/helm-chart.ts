import { Release } from "@cdktf/provider-helm/lib/release";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { HelmValues, releaseValues, valuesYaml } from "./helm-values";

/** Where a chart comes from and which version. */
export interface ChartSource {
  /** Chart repository: an https index or an `oci://` registry path. */
  readonly repository: string;
  /** Chart name in the repository. */
  readonly chart: string;
  /** Pinned chart version. */
  readonly version: string;
}

export interface HelmChartProps extends ChartSource {
  /** Release name; also its stable Terraform address (`helm_release.<name with underscores>`). */
  readonly releaseName: string;
  /** Namespace of the release (created by the platform stack, not by Helm). */
  readonly namespace: string;
  /** Values file name under helm-values/ (`<valuesName>.yaml`). @default the chart name */
  readonly valuesName?: string;
  /** Environment whose helm-values/<env>/ overrides apply. */
  readonly environment: string;
  /** Settings computed from other stacks, merged between the shared values and the environment's. @default none */
  readonly computed?: HelmValues;
  /** Leave the chart's crds/ directory alone (the CRDs come from another release). @default false */
  readonly skipCrds?: boolean;
  /** Releases or resources that must exist first. @default none */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * A pinned Helm release whose values are helm-values/<chart>.yaml, then the computed settings, then
 * helm-values/<env>/<chart>.yaml. Atomic: a failed install or upgrade rolls back.
 */
export class HelmChart extends Construct {
  /** The release, for what must wait for it. */
  readonly release: Release;
  /** The merged values it was given. */
  readonly values: HelmValues;

  constructor(scope: Construct, id: string, props: HelmChartProps) {
    super(scope, id);
    this.values = releaseValues(props.valuesName ?? props.chart, props.environment, props.computed ?? {});
    this.release = new Release(this, "release", {
      name: props.releaseName,
      repository: props.repository,
      chart: props.chart,
      version: props.version,
      namespace: props.namespace,
      createNamespace: false,
      values: [valuesYaml(this.values)],
      skipCrds: props.skipCrds ?? false,
      atomic: true,
      cleanupOnFail: true,
      wait: true,
      timeout: 600,
      maxHistory: 10,
      dependsOn: [...(props.dependsOn ?? [])],
    });
    // A stable address, for the targeted first apply of the CRD charts (docs/provisioning.md).
    this.release.overrideLogicalId(props.releaseName.replace(/-/g, "_"));
  }
}
