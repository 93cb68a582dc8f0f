/** The model catalog: configuration in gateway.yml, checked at start-up, with effective-dated prices. */
package com.pictura.api.catalog;
