/**
 * The REST API's OpenAPI 3 document, served at {@code GET /api/v1/openapi.json} (operator).
 *
 * <p>The document is written by hand and checked in ({@code src/main/resources/io/mxcutover/appliance/
 * openapi/openapi.json}): no annotation scanner to keep in step with Jersey 3 / Jakarta. It cannot drift
 * unnoticed: {@code OpenApiDocumentTest} starts the appliance and compares every path and method of the
 * document, and the role each needs, with the Jersey resources actually registered. A new endpoint
 * fails that test until it is documented here.
 */
package io.mxcutover.appliance.openapi;
