"""Biometrics: faces and fingerprints enrolled on person records, 1:N search for an examiner."""
