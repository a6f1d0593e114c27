import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import type {
  IPolicyValidationContext,
  IPolicyValidationPlugin,
  PolicyValidationPluginReport,
} from 'aws-cdk-lib';

/**
 * AWS Control Tower's proactive controls as a CDK validation plugin: `CfnGuardValidator`
 * runs them with the cfn-guard binary that its package ships. A finding is acknowledged on
 * the construct, or one above it, with
 * `Validations.of(construct).acknowledge({ id: 'cdk-validator-cfnguard::<rule name>', … })`.
 *
 * Every finding is reported as an error. The validator gives its findings no severity, and
 * once one finding of a report is acknowledged, CDK judges whether the others fail the
 * synthesis by their severity alone: without one, they would be printed as errors and the
 * synthesis would still succeed.
 */
export class ControlTowerChecks implements IPolicyValidationPlugin {
  readonly name: string;
  readonly version?: string;
  readonly ruleIds?: string[];
  private readonly validator: CfnGuardValidator;

  constructor() {
    // cfn-guard's JSON answer on these templates comes near Node's default limit of 1 MB
    // for a child process's output, past which the check fails.
    this.validator = new CfnGuardValidator({ maxBuffer: 64 * 1024 * 1024 });
    this.name = this.validator.name;
    if (this.validator.version !== undefined) this.version = this.validator.version;
    if (this.validator.ruleIds !== undefined) this.ruleIds = this.validator.ruleIds;
  }

  validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const report = this.validator.validate(context);
    return {
      ...report,
      violations: report.violations.map((violation) => ({ severity: 'error', ...violation })),
    };
  }
}
