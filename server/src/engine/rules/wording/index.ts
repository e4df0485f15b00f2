/** The wording rules (one file per rule). */
import type { Rule } from '../../types';
import { necessaryTrafficOnly } from './necessary-traffic-only';
import { suspiciousMailCallback } from './suspicious-mail-callback';
import { spamStopsMailServer } from './spam-stops-mail-server';
import { webServiceBanWithoutException } from './web-service-ban-without-exception';
import { macAddressFiltering } from './mac-address-filtering';
import { obsoleteYakkanService } from './obsolete-yakkan-service';
import { outsourcingTerm } from './outsourcing-term';
import { webMeetingFeaturesConfidential } from './web-meeting-features-confidential';
import { urlShortener } from './url-shortener';
import { sharedOrFixedPassword } from './shared-or-fixed-password';
import { completeSeparationUndefined } from './complete-separation-undefined';
import { passwordByEmail } from './password-by-email';
import { disposalWithoutReturn } from './disposal-without-return';
import { criticalPatchesOnly } from './critical-patches-only';

export const WORDING_RULES: Rule[] = [
  necessaryTrafficOnly,
  suspiciousMailCallback,
  spamStopsMailServer,
  webServiceBanWithoutException,
  macAddressFiltering,
  obsoleteYakkanService,
  outsourcingTerm,
  webMeetingFeaturesConfidential,
  urlShortener,
  sharedOrFixedPassword,
  completeSeparationUndefined,
  passwordByEmail,
  disposalWithoutReturn,
  criticalPatchesOnly,
];
