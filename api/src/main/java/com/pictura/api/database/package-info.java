/** The embedded PostgreSQL default and the BYTEA dialect. Flyway's migrations are in {@code db/migration}. */
package com.pictura.api.database;
