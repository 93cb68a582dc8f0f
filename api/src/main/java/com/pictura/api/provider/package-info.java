/** Calling OpenAI-compatible upstreams with Micronaut's Netty client: no thread waits on a provider. */
package com.pictura.api.provider;
