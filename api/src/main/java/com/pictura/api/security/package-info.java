/**
 * Dashboard sessions and staff roles for {@code /api}, {@code /admin}, {@code /audit}; bearer secrets stored as
 * SHA-256. API-key authentication of {@code /v1} lives in {@code gateway}.
 */
package com.pictura.api.security;
