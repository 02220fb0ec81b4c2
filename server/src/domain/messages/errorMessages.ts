/**
 * Every coded error sentence the API gives, by code, as its English template: `{name}` stands for the parameter
 * of that name in the answer's `params` (`{name:number}`: a number, written with thousands separators). Pages render the code in their reader's language from their own
 * catalogues and fall back to the answer's English `message` for a code they do not know (or `error`, a sentence
 * with no code of its own). Codes are stable: change a wording here, never a code.
 */
export const errorMessages = {
  // Requests the schema refuses (plugins/errors.ts describes them; these are the ones built elsewhere).
  'request.invalid-json': 'The request body is not valid JSON.',
  'request.too-large': 'The request body is too large: the limit is {limitKiB} KiB.',
  'request.unsupported-media-type': 'Send the request body as application/json.',
  'request.nul-character':
    'Text cannot contain the NUL character (\\u0000), and {where} has one: remove it and send again.',
  'request.unknown-route': 'There is no {method} {path} in this API. See /docs for what there is.',
  'request.nothing-to-change': 'The request body must contain at least one field to change.',
  // The database.
  'database.unreachable': 'The database cannot be reached right now. Try again shortly.',
  'database.timeout': 'The database took too long to answer. Try again shortly.',
  'database.unknown-reference': 'The request refers to a record that does not exist.',
  'database.duplicate': 'A record with the same unique value already exists.',
  'database.refused-values': 'The values sent are not acceptable.',
  'server.unexpected': 'Something went wrong on our side (request {requestId}).',
  // Records that are not there.
  'not-found.alliance': 'There is no alliance "{alliance}".',
  'not-found.organization': 'There is no organisation with id {id}.',
  'not-found.service': 'There is no service with id {id}.',
  'not-found.location': 'There is no location with id {id}.',
  'not-found.service-at-location': 'There is no service at a location with id {id}.',
  'not-found.action': 'There is no action with id {id}.',
  'not-found.swot-item': 'There is no SWOT item with id {id}.',
  'not-found.charter-signature': 'There is no charter signature with id {id}.',
  'not-found.gap-analysis': 'There is no gap analysis with id {id}.',
  'not-found.gap-analysis-area': 'This analysis has no area with id {id}.',
  'not-found.unit-set': 'This alliance has no set of areas with id {id}.',
  'not-found.import': 'This alliance has no import with id {id}.',
  'not-found.population-surface': 'There is no population surface with id {id}.',
  'not-found.no-population-surface': 'This alliance has no population surface to remove.',
  'not-found.history': 'There is no history of a {entityType} with id {id}.',
  'not-found.change': 'There is no change with id {id}.',
  'not-found.member': 'This person is not a member of this alliance.',
  'not-found.profile': 'This alliance has not published its profile.',
  // Signing in and permissions.
  'auth.sign-in-required': 'Sign in to do this (scripts send an API token as "Authorization: Bearer <token>").',
  'auth.invalid-token': 'This API token is not valid.',
  'auth.admin-only': 'Only a platform admin may do this.',
  // `permission` is read, edit or manage, `action` this, publish-action or unpublish-action; `what` and `needed`
  // say them in English.
  'auth.role-refused': 'Your role in this alliance is {role}; {what} needs {needed}.',
  'auth.not-member': 'You are not a member of this alliance; {what} needs {needed}.',
  'auth.coordinator-only-restore': "Only the alliance's coordinator may restore its settings.",
  'auth.session-only': 'Your own account is changed while signed in on the page, not with an API token.',
  'auth.wrong-credentials': 'E-mail or password is not right.',
  'auth.wrong-current-password': 'Your current password is not right.',
  'auth.same-password': 'The new password is the same as the current one: choose another.',
  'auth.blank-name': 'Your name cannot be only spaces.',
  'auth.password-required': 'Choose a password to finish joining.',
  'auth.reset-link-invalid':
    'This password reset link is not valid: check that it was copied whole. A newer link, or a change of password, also makes it stop working; ask for a new one.',
  'auth.reset-link-used':
    'This password reset link was already used. Ask for a new one if you still need to change your password.',
  'auth.reset-link-expired': 'This password reset link has expired (links work for {hours} hours). Ask for a new one.',
  'account.name-empty': 'Your name cannot be empty (or only spaces).',
  'account.name-too-long': 'Your name can have at most {max} characters; this one has {length}.',
  'account.not-email': '"{email}" is not an e-mail address.',
  'account.password-too-short':
    'The password must have at least {min} characters; a short sentence is easy to remember.',
  'account.password-is-email': 'The password must not be your e-mail address.',
  'auth.invitation-expired': 'This invitation expired on {date}. Ask {inviter} to invite you again.',
  'auth.invitation-expired-coordinator':
    'This invitation expired on {date}. Ask the coordinator of {alliance} to invite you again.',
  'auth.invitation-for-account':
    'This invitation is for {email}, which already has an account: sign in with it (or enter its password) to accept.',
  'auth.invitation-invalid': 'This invitation link is not valid: check that it was copied whole.',
  'auth.invitation-accepted': 'This invitation was already accepted. Sign in with your e-mail and password.',
  'auth.email-taken-meanwhile':
    'An account was created for this e-mail in the meantime: sign in with it (or enter its password) to accept.',
  // Versioned records changed by someone else.
  'conflict.stale-version': '{who} changed this {noun} at {when}, after you opened it. {advice}',
  'conflict.stale-version-unknown': 'Someone changed this {noun} after you opened it. {advice}',
  'conflict.last-coordinator':
    'An alliance needs at least one coordinator: make someone else coordinator first, then change this one.',
  'conflict.already-member':
    '{name} ({email}) is already a member of this alliance, as {role}. Change their role in the member list instead.',
  // `services` lists the services' names, one a line; `service` and `list` quote them in English.
  'conflict.only-place':
    'This is the only place of the service {service}; move the service to another place first, or delete it.',
  'conflict.only-place-of-several':
    'This is the only place of the services {list}; move them to another place first, or delete them.',
  'conflict.slug-taken': 'There is already an alliance "{slug}"; choose another slug.',
  // Workspace inputs.
  'input.comment-empty': 'A comment needs some text.',
  'input.swot-empty': 'A SWOT item needs some text.',
  'input.signer-required': 'A signature needs the name of the person who signs.',
  'input.coordinates-together': 'Send "lat" and "lon" together to put the pin.',
  'input.location-of-other-organization': 'Location {id} belongs to another organisation.',
  'input.not-web-address':
    'Field "{field}" must be a web address starting with http:// or https://, such as https://example.org/.',
  'input.organization-of-other-alliance': 'There is no organisation with id {id} in this alliance.',
  'input.unknown-time-zone': '"{timezone}" is not a time zone this server knows; use a name such as "Europe/Paris".',
  'boundary.no-area-order':
    'The boundary encloses no area, even once repaired: check that its points are in longitude, latitude order.',
  'input.slug-like-id': 'The slug must not look like an id; use words, e.g. "bordeaux".',
  // The action plan.
  'action.organization-of-other-alliance': '"{name}" belongs to another alliance: choose an organisation of this one.',
  'action.due-before-start': 'The due date ({dueOn}) is before the start date ({startsOn}).',
  'action.budget-negative': 'The estimated budget cannot be negative ({budget} was sent).',
  'action.budget-too-large': 'The estimated budget can be at most {max:number}.',
  'action.gap-link-incomplete':
    'To link an action to a gap, send gapRunId, gapUnitId and gapSubject together (or none of them).',
  'action.gap-run-not-found': 'This alliance has no gap analysis with id {runId}.',
  'action.gap-run-not-done': 'Gap analysis {runId} has no results (it is {status}): link a finished one.',
  'action.gap-area-not-found': 'Gap analysis {runId} has no area with id {unitId}.',
  'action.gap-subject-not-measured':
    'Gap analysis {runId} did not measure "{subject}" in this area; it measured: {measured}.',
  // Gap analyses.
  'gap.failed': 'The analysis failed, so it has no results: {reason}',
  'gap.subject-not-measured': 'This analysis did not measure "{subject}"; it measured: {measured}.',
  'gap.areas-too-large': 'The request body is too large: areas can be imported up to {limitMiB} MiB at once.',
  'gap.areas-name': 'Give the set of areas a name of 1 to 300 characters, in the field "name".',
  'gap.areas-property-names': 'The names of the name and population properties are at most 100 characters.',
  'gap.unit-set-required': 'Imported units need "units.unitSetId", the id of a set of areas.',
  'gap.sigma-only-gaussian': '"decaySigmaM" is the σ of the gaussian_sigma decay; the other decays take none.',
  'gap.running': 'The analysis is still running ({percent}%): follow it at /api/gap-analyses/{id}.',
  'gap.no-boundary': 'This alliance has no region boundary, so no grid can be laid over it.',
  'gap.grid-too-large':
    'A resolution-{resolution} grid over this region would have about {cells:number} areas; the limit is {limit:number}. Resolution {fits} fits (about {fitsCells:number} areas).',
  'gap.grid-too-large-region':
    'A resolution-{resolution} grid over this region would have about {cells:number} areas; the limit is {limit:number}. Even resolution {coarsest} would have about {coarsestCells:number}: the region is too large for an H3 grid. Import areas of your own instead.',
  'gap.grid-over-limit':
    'A resolution-{resolution} grid over this region has more than {limit:number} areas, the limit: choose resolution {coarser} or coarser.',
  'gap.grid-over-limit-region':
    'A resolution-{resolution} grid over this region has more than {limit:number} areas, the limit: the region is too large for an H3 grid. Import areas of your own instead.',
  'gap.unit-set-gone': 'The set of areas of this analysis no longer exists.',
  'gap.unit-set-empty': 'The set of areas is empty: there is nothing to measure.',
  'gap.publish-unfinished': 'Only a finished analysis can be published: this one is still running or failed.',
  // Files sent with a form (geo files, population files, imports).
  'upload.not-multipart': 'Send the file as multipart/form-data, in a part named "file".',
  'upload.file-too-large': 'The file is too large: the limit is {limit}.',
  'upload.one-file': 'Send one file, in a part named "file", and the form’s fields only.',
  'upload.no-file': 'No file was sent: add it in a part named "file".',
  'import.not-multipart': 'Send the files as multipart/form-data, each in a part named "file".',
  'import.too-many-parts': 'An import takes at most 10 files and the fields "format" and "source".',
  'import.no-file': 'No file was sent: add the files to import in parts named "file".',
  'import.unknown-format': '"{format}" is not a format an import reads; it reads {formats}.',
  'import.source-too-long': 'The source’s name is longer than 200 characters.',
  'import.not-preview': 'This import is {status}: only a preview can be changed.',
  'import.changed-meanwhile': 'This import changed meanwhile: read it again.',
  'import.cannot-commit': 'This import is {status}: it cannot be committed.',
  'import.not-discardable': 'This import is {status}: only a preview can be discarded.',
  'import.files-too-large': 'The files are too large: an import takes at most {limit} in all.',
  'import.expired': 'This preview has expired (after 24 hours): start the import again.',
  'import.expired-removed':
    'This preview has expired (after 24 hours) and its files were removed: start the import again.',
  'import.already-committed': 'This import has been committed already: it cannot be committed.',
  'import.being-committed': 'This import is being written: it cannot be committed.',
  'import.other-committing': 'Another import of this alliance ({id}) is being written: wait until it ends.',
  'import.not-undoable': 'This import is {status}: only a committed import can be undone.',
  // Geo files (areas, boundaries): `formats` and `systems` list what is read, in English.
  'geo-file.broken-json': '{fileName} starts like JSON but cannot be read as JSON: is the file complete?',
  'geo-file.unzipped-too-large': '{fileName} holds more than {limitMB} MB once unzipped; simplify the areas first.',
  'geo-file.broken-zip': '{fileName} is not a zip file that can be opened: is it complete?',
  'geo-file.no-shp': '{fileName} holds no .shp file (it holds {held}). Send {formats}.',
  'geo-file.several-shp': '{fileName} holds {count} Shapefiles ({layers}); send one layer per zip.',
  'geo-file.no-dbf': '{fileName} has {layer}.shp but not {layer}.dbf, the table of its attributes.',
  'geo-file.no-prj':
    '{fileName} has {layer}.shp but not {layer}.prj, so the coordinate system of its points is unknown. Export the layer again with its .prj, in one of: {systems}.',
  'geo-file.not-shp': '{layer}.shp is not a Shapefile main file (it does not start with the file code 9994).',
  'geo-file.shp-cut-short': '{layer}.shp is damaged: it is shorter than its header says. Export the layer again.',
  'geo-file.shp-damaged': '{layer}.shp or {layer}.dbf is damaged and cannot be read: export the layer again.',
  'geo-file.shp-dbf-mismatch':
    '{layer}.shp has {shapes} shapes but {layer}.dbf has {rows} rows; the files do not belong together.',
  'geo-file.empty': '{fileName} is empty.',
  'geo-file.empty-zip': '{fileName} is an empty zip.',
  'geo-file.shp-alone': "{fileName} is a Shapefile's .shp alone; zip it with its .dbf and .prj and send the zip.",
  'geo-file.unknown-format': '{fileName} is neither GeoJSON, a zip nor a GeoPackage: send {formats}.',
  // Problems of an import's rows (`problems[].code`): `kind` is organization, location or service.
  'import.no-name': 'This {noun} has no name.',
  'import.name-too-long': 'The name is {length} characters long; at most {max} are kept.',
  'import.id-too-long': 'The id is {length} characters long; at most {max} are accepted.',
  'import.no-category':
    'No category: none of the source’s terms maps to one. Choose a default category or map a term to one.',
  'import.not-web-address': '"{value}" is not a web address starting with http:// or https://; it was left out.',
  'import.not-email': '"{value}" is not an e-mail address; it was left out.',
  'import.capacity-unit-too-long': "The capacity's unit is {length} characters long; at most {max} are kept.",
  'import.organization-not-in-file': 'The organisation "{sourceId}" that this service names is not in the file.',
  'import.location-not-in-file': 'The location "{sourceId}" that this service names is not in the file.',
  'import.duplicate-id': 'The id “{sourceId}” appears twice: this {noun} is also at row {row}{inFile}.',
  'import.coordinates-swapped':
    'The latitude {lat} and longitude {lon} look swapped: the place is taken at latitude {lon}, longitude {lat}, which is in the region.',
  'import.outside-region':
    'The place (latitude {lat}, longitude {lon}) is outside the alliance’s region: it is kept and marked as needing a place.',
  'import.impossible-coordinates':
    'The coordinates (latitude {lat}, longitude {lon}) are impossible: a latitude is between -90 and 90, a longitude between -180 and 180.',
  'import.organization-missing': 'The organisation “{sourceId}” this service belongs to is not in the file.',
  'import.organization-refused': 'Its organisation “{name}” cannot be imported (see the organisation’s problems).',
  'import.no-place':
    'This service has no place, nor has its organisation in the file: it will not be on the map until one is added.',
  // Population files (`where` names the file and the feature or line).
  'population-file.not-a-number': '{where}: the population is not a number.',
  'population-file.negative': '{where}: the population is negative ({value}).',
  'population-file.infinite': '{where}: the population is infinite.',
  'population-file.unknown-system':
    '{fileName} is in the coordinate system EPSG:{epsg}, which this import does not know. Export it again in one of: {systems}.',
  'population-file.broken-tiff': '{fileName} starts like a TIFF file but cannot be read: is it complete?',
  'population-file.no-georeference': '{fileName} is a TIFF without a georeference (no tie point and pixel scale).',
  'population-file.no-id-column':
    '{fileName} is a table without an "h3" column (Kontur population) nor an "idcar_200m" column (INSEE grid): send a GeoTIFF, a Kontur or INSEE grid, or census areas.',
  'population-file.no-population-column': '{fileName} has no population column "{column}"; its columns are {columns}.',
  'population-file.not-feature-collection': '{fileName} is not a GeoJSON FeatureCollection.',
  'population-file.no-numeric-field': '{fileName} has no numeric field to read a population from.',
  'population-file.unknown-field': '{fileName} has no numeric field “{field}”; choose one of: {fields}.',
  'population-file.choose-field': 'Choose the field that holds the population: one of {fields}.',
  'population-file.not-polygon': '{where}: an area must be a Polygon or MultiPolygon.',
  'population-file.empty': '{fileName} is empty.',
  'population-file.areas-too-large': '{fileName} is larger than {limitMiB} MiB, the limit for areas.',
  'population-file.unknown-format':
    "{fileName} is not a population file this import reads: send a GeoTIFF (GHSL, WorldPop), a CSV of Kontur's H3 population or of an INSEE grid, or census areas (GeoJSON, zipped Shapefile, GeoPackage).",
  // Population surfaces.
  'population.import-running': 'A population file is being imported already: wait for it to end.',
  'population.no-boundary':
    'This alliance has no region boundary: draw or import it in the settings first, so that the population can be clipped to it.',
  'population.boundary-gone': 'This alliance has no region boundary any more.',
  'population.nobody-in-region-read':
    "Nobody in this file lives inside the alliance's region or within {marginKm} km of it ({read:number} cells or areas read): is it the file of this region?",
  'population.nobody-in-region':
    "Nobody in {fileName} lives inside the alliance's region or within {marginKm} km of it: is it the file of this region?",
  'population.choose-field': 'Choose the field of {fileName} that holds the population: one of {fields}.',
  'population.upload-unknown':
    'This upload is not known (uploads are kept a day, until they are imported): upload the file again.',
  // Geocoding and the base map.
  'geocoder.none': 'This server has no geocoder configured: place the pin on the map.',
  'geocoder.empty-query': 'Type an address or a place name to look for.',
  'geocoder.busy': 'Many searches are waiting for the geocoder. Try again in a moment, or place the pin on the map.',
  'geocoder.timeout': 'The geocoder did not answer in time. Try again, or place the pin on the map.',
  'geocoder.failed': 'The geocoder answered with an error. Try again later, or place the pin on the map.',
  'basemap.tile-out-of-range': 'At zoom {z}, the column and row of a tile go from 0 to {max}.',
  'basemap.beyond-max-zoom': 'The street map has tiles up to zoom {maxZoom}; the map enlarges those beyond.',
  'basemap.glyph-range': 'A glyph range covers 256 characters from a multiple of 256, as 0-255 or 256-511.',
  'basemap.unknown-font': 'The only font here is "{font}".',
  'boundary.no-area': '{fileName}: the boundary encloses no area, even once repaired.',
  'towns.no-letter': 'q must hold at least one letter or digit of a town name.',
  'towns.near-or-alliance': 'Give either near or alliance, not both: the towns are ranked from one of them.',
} as const;

export type ErrorCode = keyof typeof errorMessages;
