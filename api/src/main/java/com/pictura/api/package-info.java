/**
 * The Spring Boot application: HTTP ({@code /v1}, {@code /api}, {@code /admin}), authentication, the Axon and
 * database wiring, the model-provider client and the simulated provider. Packages by feature: {@code account},
 * {@code apikey}, {@code wallet}, {@code gateway}, {@code catalog}, {@code provider}, {@code simulator},
 * {@code billing}; and the platform underneath: {@code axon}, {@code database}, {@code security}, {@code web},
 * {@code platform}.
 */
package com.pictura.api;
