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
  // Limits on signing in and on mails asked for; `{wait}` is said in English words in the sentence only;
  // the answer's `params` give the wait as `retryAfterS`, in seconds.
  'rate-limit.sign-in-network':
    'Too many sign-in attempts from your network (the same internet address). Try again in {wait}.',
  'rate-limit.sign-in-email': 'Too many sign-in attempts for this address. Try again in {wait}.',
  'rate-limit.reset-network':
    'Too many password reset requests from your network (the same internet address). Try again in {wait}.',
  'rate-limit.reset-email':
    'Too many password reset mails were asked for this address; check the ones already sent. Try again in {wait}.',
  'rate-limit.links-network':
    'Too many tries with invitation or password reset links from your network (the same internet address). Try again in {wait}.',
  'rate-limit.password-change': 'Too many attempts to change the password of this account. Try again in {wait}.',
  'rate-limit.reports-network':
    'Too many reports from your network (the same internet address). Thank you: try again in {wait}.',
  // Records that are not there.
  'not-found.alliance': 'There is no alliance "{alliance}".',
  'not-found.organization': 'There is no organisation with id {id}.',
  'not-found.service': 'There is no service with id {id}.',
  'not-found.closure': 'There is no closure with id {id}.',
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
  'not-found.no-road-network':
    'This alliance has no road network: import an OpenStreetMap extract to see travel times.',
  'not-found.history': 'There is no history of a {entityType} with id {id}.',
  'not-found.change': 'There is no change with id {id}.',
  'not-found.member': 'This person is not a member of this alliance.',
  'not-found.profile': 'This alliance has not published its profile.',
  'not-found.mail-bounce': 'The address {email} is not marked as bouncing.',
  'not-found.directory-part': 'This region has no directory part {part}: its list of parts names those that exist.',
  'not-found.report': 'There is no report with id {id}.',
  'not-found.reportable-service':
    'There is no service with id {id} in the finder: it may have closed or been removed since the page was loaded.',
  'reports.resolved-already': 'This report was resolved already, by {who}.',
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
  'action.planned-place-far':
    'The planned place ({lon}, {lat}) is more than {km} km from the alliance’s region: check that the longitude comes first and the latitude second.',
  'action.no-planned-service':
    'Action {number} has no planned place and category: set them to see what the action would change.',
  'action.no-travel-run':
    'This alliance has no finished gap analysis in minutes (walking, cycling or driving) that measures "{category}": run one to see what the action would change.',
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
  'gap.no-road-network':
    'Travel times need a road network: this alliance has none imported and active. Import one (Road network) or measure straight lines.',
  'gap.minutes-need-travel':
    '"thresholdMinutes" and "decaySigmaMinutes" are for a travel mode (walk, bike, drive); straight lines take "thresholdM" and "decaySigmaM".',
  'gap.scenario-not-done':
    'Only a finished analysis can be tried with what-if scenarios: this one is still running or failed.',
  'gap.scenario-empty': 'A scenario adds or removes at least one service.',
  'gap.scenario-unknown-location':
    'Service location {id} was not measured by this analysis, so it cannot be removed from it.',
  'gap.scenario-category': 'This analysis did not measure the category "{category}"; it measured: {measured}.',
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
  'geo-file.not-geopackage':
    '{fileName} is an SQLite database but not a GeoPackage: it has no gpkg_contents or gpkg_geometry_columns table.',
  'geo-file.layer-no-system':
    'The layer {layer} of {fileName} does not say which coordinate system its points are in (spatial reference {srsId}). Export it again in one of: {systems}.',
  'geo-file.not-gpkg-geometry':
    'Row {row} of the layer {layer} is not a GeoPackage geometry (it does not start with "GP").',
  'geo-file.extended-gpkg-geometry':
    'Row {row} of the layer {layer} is an extended GeoPackage geometry, which is not read.',
  'geo-file.unknown-envelope': 'Row {row} of the layer {layer} has an envelope of an unknown kind.',
  'geo-file.unreadable-geometry':
    'Row {row} of the layer {layer} holds a geometry that cannot be read: export the layer again.',
  'geo-file.broken-sqlite': '{fileName} starts like an SQLite database but cannot be opened: is the file complete?',
  'geo-file.no-feature-table': '{fileName} is a GeoPackage without any feature table (no layer of areas).',
  'geo-file.unknown-layer': '{fileName} has no layer named “{layer}”; its layers are: {layers}.',
  'geo-file.too-many-features':
    'The layer {layer} of {fileName} has {count:number} features; the limit is {limit:number}.',
  'geo-file.unknown-system':
    '{fileName} gives the coordinate system {system}, which this import does not know. Export the file again in one of: {systems}.',
  'geo-file.unreadable-system':
    '{fileName} gives a coordinate system that cannot be read, which this import does not know. Export the file again in one of: {systems}.',
  'geo-file.layer-unknown-system':
    'The layer {layer} of {fileName} gives the coordinate system {system}, which this import does not know. Export the file again in one of: {systems}.',
  'geo-file.layer-unreadable-system':
    'The layer {layer} of {fileName} gives a coordinate system that cannot be read, which this import does not know. Export the file again in one of: {systems}.',
  'population-file.not-h3-cell': '{fileName}, line {line}: “{id}” is not an H3 cell.',
  'population-file.not-insee-cell': '{fileName}, line {line}: “{id}” is not an INSEE cell id (CRS3035RES200mN…E…).',
  'population-file.unnamed-system':
    '{fileName} does not say which coordinate system it is in. Export it again in one of: {systems}.',
  'population-file.unnamed-system-cited':
    '{fileName} does not say which coordinate system it is in (it says “{citation}”). Export it again in one of: {systems}.',
  'population-file.geojson-not-wgs84':
    '{fileName} says its coordinates are in {crs}; GeoJSON must be in WGS84 longitude/latitude. Send a zipped Shapefile or a GeoPackage to import another coordinate system.',
  'boundary.wrong-type': 'The boundary must be a GeoJSON Polygon or MultiPolygon, not a {type}.',
  'boundary.no-type': 'The boundary must be a GeoJSON Polygon or MultiPolygon, not something without a "type".',
  'boundary.not-polygon-list': 'The boundary must be a list of polygons (a MultiPolygon’s coordinates).',
  'boundary.too-many-points': 'The boundary has more than {max} points; simplify it.',
  'boundary.not-rings': 'The boundary must be a list of rings (lists of points).',
  'boundary.polygon-not-rings': 'Polygon {polygon} of the boundary must be a list of rings (lists of points).',
  'boundary.ring-too-short':
    'Ring {ring} of the boundary must have at least 4 points, the last one repeating the first.',
  'boundary.polygon-ring-too-short':
    'Ring {ring} of polygon {polygon} of the boundary must have at least 4 points, the last one repeating the first.',
  'boundary.ring-not-closed': 'Ring {ring} of the boundary is not closed: its last point must repeat its first.',
  'boundary.polygon-ring-not-closed':
    'Ring {ring} of polygon {polygon} of the boundary is not closed: its last point must repeat its first.',
  'boundary.point-not-pair': 'Point {point} of ring {ring} of the boundary must be a [longitude, latitude] pair.',
  'boundary.polygon-point-not-pair':
    'Point {point} of ring {ring} of polygon {polygon} of the boundary must be a [longitude, latitude] pair.',
  'boundary.point-not-numbers': 'Point {point} of ring {ring} of the boundary must hold numbers only.',
  'boundary.polygon-point-not-numbers':
    'Point {point} of ring {ring} of polygon {polygon} of the boundary must hold numbers only.',
  'boundary.point-out-of-range':
    'Point {point} of ring {ring} of the boundary ({lon}, {lat}) is not a longitude between -180 and 180 and a latitude between -90 and 90.',
  'boundary.polygon-point-out-of-range':
    'Point {point} of ring {ring} of polygon {polygon} of the boundary ({lon}, {lat}) is not a longitude between -180 and 180 and a latitude between -90 and 90.',
  'boundary.file-not-wgs84':
    '{fileName}: This GeoJSON uses the coordinate system {crs}; export it again in WGS84 longitude/latitude (EPSG:4326), as GeoJSON requires, or send the layer as a zipped Shapefile.',
  'boundary.file-no-polygon':
    '{fileName}: The file holds no polygon (only points or lines, or no GeoJSON): the region must be an area.',
  'not-found.invitation': 'There is no invitation waiting with this id in this alliance: it was accepted or withdrawn.',
  'conflict.last-coordinator-removed':
    'An alliance needs at least one coordinator: make someone else coordinator first, then remove this one.',
  'alliance.holidays-same-everywhere':
    'Public holidays are the same in the whole of {country}: leave holidayState empty (null).',
  'alliance.holiday-state-unknown':
    '"{state}" is not a region whose public holidays differ in {country}; use one of: {states}.',
  'boundary.not-object': 'The boundary must be a GeoJSON geometry object, such as {example}.',
  'auth.csrf-missing':
    'This change came without the page’s security token, so it was refused (CSRF protection). Reload the page and try again.',
  'directory.day-out-of-range':
    'Query parameter "from" must be a day within a year of today ({today} in the region), not {day}.',
  'not-found.taxonomy-term': 'There is no taxonomy term with id {id}: /api/hsds/taxonomy_terms lists them.',
  // A service's temporary closures; `field` is startsOn or endsOn.
  'closures.date-invalid': '"{field}" must be a day of the calendar written YYYY-MM-DD, not "{value}".',
  'closures.ends-before-start': 'The closure ends on {endsOn}, before it starts on {startsOn}.',
  'closures.too-long':
    'A closure may last at most {months} months: starting on {startsOn}, it must end by {latestEndsOn}. A service closed for longer is inactive.',
  'opening-hours.invalid-near':
    'The opening hours are not valid near "{near}": {reason}. Write them in the OpenStreetMap opening_hours syntax, for example "{example}".',
  'opening-hours.invalid':
    'The opening hours are not valid: {reason}. Write them in the OpenStreetMap opening_hours syntax, for example "{example}".',
  'opening-hours.not-valid': 'The opening hours are not valid.',
  'opening-hours.no-hours': '"{text}" gives no opening hours.',
  'opening-hours.read-as': 'The opening hours "{text}" were read as "{written}".',
  'import.hours-kept-as-description':
    'The opening hours "{text}" cannot be read in the opening_hours syntax. The text was kept as a description.',
  'import.schedule-kept-as-text': 'The schedule "{text}" could not be read. The schedule was kept as text.',
  'import.no-duplicate-to-decide': 'Row {key} of this import has no possible duplicate to decide about.',
  'import.merge-into-duplicate': 'Row {key} can only be merged into one of its possible duplicates.',
  'import.no-change-to-apply': 'Row {key} of this import has no change of “{field}” to apply.',
  'import.row-problem': 'This row has a problem that keeps it out of the import.',
  'import.mappings-first':
    'Change the mappings first, then decide about duplicates and changes: the file is read again.',
  'import.no-organization': 'No organisation of the file or of the alliance can hold it.',
  'swot.already-first':
    'This SWOT item is already the first of its quadrant. Reload the analysis to see the order as it is now.',
  'swot.already-last':
    'This SWOT item is already the last of its quadrant. Reload the analysis to see the order as it is now.',
  'towns.near-not-point': 'near "{near}" is not a point: give lat,lon with lat within ±90 and lon within ±180.',
  'services.bbox-invalid':
    'bbox "{bbox}" is not a valid box: give west,south,east,north with west < east, south < north, longitudes within ±180 and latitudes within ±90.',
  'translation.no-such-field':
    '{article} {noun} has no field "{textField}" to translate; its translatable fields are {fields}.',
  'translation.same-language':
    'This {noun} is written in {languageName} already: choose another language to translate it into.',
  'not-found.translation': "There is no {languageName} translation of the {noun}'s {textField}.",
  'conflict.translation-deleted':
    "The {languageName} translation of the {noun}'s {textField} was deleted after you opened it. Reload the translations.",
  'translator.none':
    'This server has no machine-translation service (TRANSLATOR_URL is not set): write the translation yourself.',
  'translator.timeout': 'The machine-translation service did not answer in time. Try again later.',
  'translator.unreachable': 'The machine-translation service cannot be reached right now. Try again later.',
  'translator.answer-too-large': 'The machine-translation service answered too much.',
  'translator.refused': 'The machine-translation service refused the texts (HTTP {status}).',
  'translator.refused-saying': 'The machine-translation service refused the texts (HTTP {status}): "{reason}".',
  'translator.not-translations': 'The machine-translation service answered something other than the translations.',
  'import.files-not-together':
    'These files cannot be imported together: {files}. Import them one at a time, or send the two files of one data·inclusion extract.',
  'import.zip-nothing-readable':
    'The zip file "{fileName}" holds no file Passerelle can read ({held}). Send {formats}.',
  'import.zip-empty': 'The zip file "{fileName}" holds no file Passerelle can read (it is empty). Send {formats}.',
  'import.unreadable-file': 'Passerelle cannot read "{fileName}": it looks like {looksLike}. Send {formats}.',
  'import.format-mismatch':
    'The file was announced as {announcedName}, but it looks like {foundName}. Choose that format, or let Passerelle recognise it.',
  'import.not-xlsx': '"{fileName}" is not an Excel workbook.',
  'import.not-csv': '"{fileName}" is not a CSV file.',
  'import.hsds-no-services': 'The HSDS tabular data holds no services.csv, so there is nothing to import.',
  'import.format-not-yet': '{formatName} cannot be imported yet.',
  'import.json-empty': 'The JSON file is empty.',
  'import.json-scalar': 'The JSON file holds a single value, not records.',
  'import.invalid-json-at':
    'The file "{fileName}" is not valid JSON: the text stops making sense at line {line}, column {column} ({reason}). Check that it is complete and was saved as JSON.',
  'import.invalid-json-end':
    'The file "{fileName}" is not valid JSON: the text stops making sense at its end ({reason}). Check that it is complete and was saved as JSON.',
  'import.zip-damaged':
    'The zip file "{fileName}" is damaged or incomplete ({detail}). Make the zip again, or send the files it held.',
  'import.xlsx-unreadable':
    'The workbook "{fileName}" cannot be read ({reason}). Open it in a spreadsheet program and save it again as .xlsx, or as CSV.',
  'import.csv-unreadable': 'The file "{fileName}" cannot be read as CSV after row {row}: {reason}.',
  'import.file-empty': 'The file "{fileName}" is empty.',
  'import.upload-lost': 'The file "{fileName}" could not be found after the upload.',
  'import.json-not-hsds': 'This file is not HSDS JSON: it is not JSON at all.',
  'request.refused': 'The request was refused: {reason}',
  'import.data-inclusion-no-id':
    'This {entityType} has no id, which data·inclusion requires to recognise it at the next import.',
  'import.id-repeated': 'The id "{id}" is used by an earlier {entityType} of this file; this one was left out.',
  'import.data-inclusion-structure-no-name': 'The structure has no name (nom).',
  'import.data-inclusion-service-no-name': 'The service has no name (nom).',
  'import.data-inclusion-no-structure': 'The service names no structure (structure_id).',
  'import.siret-not-14-digits': 'The SIRET "{siret}" does not have 14 digits; it was left out.',
  'import.hsds-no-id': 'This {entityType} has no id, which HSDS requires.',
  'import.hsds-organization-no-name': 'The organization has no name.',
  'import.hsds-service-no-name': 'The service has no name.',
  'import.hsds-no-organization': 'The service names no organization.',
  'import.row-service-no-name': 'The service has no name on this row.',
  'import.row-organization-no-name': 'The organisation has no name on this row.',
  'import.row-id-repeated': 'The id "{id}" is used by an earlier row; this row was left out.',
  'import.row-names-repeated': 'An earlier row has the same organisation and service name; this row was left out.',
  'import.entry-not-record': 'This entry is not a record (an object with fields).',
  'import.entry-not-hsds': 'This entry is not an HSDS object.',
  'import.capacity-not-number':
    'The capacity "{text}" is not a number: give how many the service can take (places, hours), e.g. 12.',
  'import.capacity-not-positive':
    'The capacity {text} is not above 0: give how many the service can take, or leave it empty.',
  'coordinates.latitude-missing':
    'The latitude is missing; the coordinates were left out, so the place will need to be found again.',
  'coordinates.longitude-missing':
    'The longitude is missing; the coordinates were left out, so the place will need to be found again.',
  'coordinates.latitude-not-number':
    'The latitude "{text}" is not a number; the coordinates were left out, so the place will need to be found again.',
  'coordinates.longitude-not-number':
    'The longitude "{text}" is not a number; the coordinates were left out, so the place will need to be found again.',
  'coordinates.latitude-out-of-range':
    'The latitude {lat} is not between -90 and 90; the coordinates were left out, so the place will need to be found again.',
  'coordinates.latitude-out-of-range-swapped':
    'The latitude {lat} is not between -90 and 90; the coordinates were left out, so the place will need to be found again. Latitude and longitude look swapped.',
  'coordinates.longitude-out-of-range':
    'The longitude {lon} is not between -180 and 180; the coordinates were left out, so the place will need to be found again.',
  'coordinates.null-island':
    'The coordinates 0, 0 are in the ocean off Africa; the coordinates were left out, so the place will need to be found again.',
  'coordinates.swapped':
    'The latitude {lat} and longitude {lon} look swapped (the point would be far outside {area}); they were read the other way round.',
  'restore.alliance-deleted': 'A deleted alliance cannot be restored from its history.',
  'restore.exists-again': 'This {noun} exists again already: it was restored or added again since.',
  'restore.parent-gone':
    'This {noun} cannot be restored: its {parentNoun} no longer exists. Restore the {parentNoun} first.',
  'restore.named-parent-gone':
    'This {noun} cannot be restored: its {parentNoun} “{name}” no longer exists. Restore the {parentNoun} first.',
  'restore.change-not-found': 'This change is not in the history.',
  'restore.not-restorable': 'Changes of {entityType} cannot be restored.',
  'restore.deleted-since': 'This {noun} has been deleted since. Restore its deletion first.',
  'restore.alliance-creation': 'An alliance cannot be removed by undoing its creation.',
  'restore.gone': 'This {noun} no longer exists.',
  'restore.reference-gone': 'This {noun} cannot be restored: it refers to a record that no longer exists.',
  'restore.duplicate': 'This {noun} cannot be restored: another record now has the same unique value.',
  'restore.values-refused': 'This {noun} cannot be restored: its old values are no longer accepted.',
  'restore.changed-since': 'The {noun} was changed after this change ({when} UTC): undo that change first.',
  'restore.named-changed-since':
    'The {noun} “{name}” was changed after this change ({when} UTC): undo that change first.',
  'restore.added-since': 'The {noun} was added since to a record this change created: remove it first.',
  'restore.named-added-since': 'The {noun} “{name}” was added since to a record this change created: remove it first.',
  'import.undone-already': 'This import has been undone already.',
  'areas.not-feature-collection': 'The areas must be a GeoJSON FeatureCollection: {example}.',
  'areas.not-wgs84':
    'The areas use the coordinate system {crs}; reproject them to WGS84 longitude/latitude (EPSG:4326), as GeoJSON requires.',
  'areas.no-feature': 'The FeatureCollection has no feature.',
  'areas.too-many-features': 'The FeatureCollection has {count} features; at most {max} areas can be imported at once.',
  'areas.problems': 'Nothing was imported: {count} problems.',
  'areas.feature-ring-not-positions': 'Feature {feature}: a ring is not a list of [longitude, latitude] positions.',
  'areas.feature-ring-too-short': 'Feature {feature}: a ring has fewer than 4 positions.',
  'areas.feature-projected':
    'Feature {feature}: the coordinate ({lon}, {lat}) is not a longitude/latitude: the file seems to use a projected coordinate system (e.g. Lambert-93, UTM or a national grid); reproject it to WGS84 (EPSG:4326).',
  'areas.feature-ring-not-closed': 'Feature {feature}: a ring is not closed (its last position must repeat its first).',
  'areas.feature-no-geometry': 'Feature {feature}: it has no geometry.',
  'areas.feature-not-polygon':
    'Feature {feature}: its geometry is a {type}; only Polygon and MultiPolygon areas can be imported.',
  'areas.feature-no-coordinates': 'Feature {feature}: its geometry has no coordinates.',
  'areas.feature-polygon-no-ring': 'Feature {feature}: a polygon has no ring.',
  'areas.feature-not-feature': 'Feature {feature}: it is not a GeoJSON Feature.',
  'areas.feature-no-name': 'Feature {feature}: the property "{property}" (the area\'s name) is missing.',
  'areas.feature-name-length': 'Feature {feature}: the property "{property}" must be a name of 1 to 300 characters.',
  'areas.feature-no-population': 'Feature {feature}: the property "{property}" (population) is missing.',
  'areas.feature-population-not-number': 'Feature {feature}: the property "{property}" must be a number, not {value}.',
  'areas.feature-population-negative': 'Feature {feature}: the property "{property}" must not be negative ({value}).',
  'areas.feature-population-too-large':
    'Feature {feature}: the property "{property}" must be at most {max:number} (more than the world\'s population), not {value}.',
  'areas.feature-repair-leaves-nothing':
    'Feature {feature} ("{name}"): the geometry is not valid ({reason}) and repairing it leaves no area.',
  'gap.run-unexpected':
    'The analysis could not be completed because of an error on our side; no result was kept. Run it again, or report the run id.',
  'gap.run-interrupted': 'The server stopped while this analysis was running. Start it again.',
  'population.import-unexpected':
    'The population file could not be imported because of an error on our side; nothing was kept.',
  // Self-service links: an organisation checks its own services without an account (domain/self-service).
  'self-service.no-address':
    'The organisation “{organization}” has no e-mail address: give one to send its self-service link to.',
  'self-service.link-invalid':
    'This self-service link is not valid: check that it was copied whole, or ask the alliance for a new one.',
  'self-service.link-expired': 'This link has expired; ask the alliance for a new one.',
  'self-service.link-used':
    'This link was already used: each link opens once. Ask the alliance for a new one if you need to check your services again.',
  'self-service.session-required':
    'Open the link from your mail first: this page works for two hours after the link is opened.',
  'self-service.csrf-missing':
    'This change came without the page’s security token, so it was refused. Open the page again from its link.',
  'self-service.closure-ends-before-start': 'The closure cannot end ({endsOn}) before it starts ({startsOn}).',
  'not-found.self-service-service': 'Your organisation has no service with id {id}.',
  'not-found.self-service-proposal': 'There is no proposed change with id {id}.',
  'self-service.proposal-decided': 'Someone already approved or rejected this proposed change.',
  // Road networks imported from OpenStreetMap extracts (domain/road-network).
  'not-found.road-network': 'There is no road network with id {id} in this alliance.',
  'road-network.empty-file': '{fileName} is empty.',
  'road-network.not-osm':
    '{fileName} is not an OpenStreetMap extract: send an .osm.pbf file, or an .osm file (OSM XML).',
  'road-network.compressed':
    '{fileName} is compressed: unpack it first (.osm.gz, .osm.bz2), or send the .osm.pbf extract.',
  'road-network.corrupt-pbf':
    '{fileName} is not a complete OpenStreetMap PBF file: it is cut short or damaged. Download it again.',
  'road-network.pbf-compression':
    '{fileName} is compressed in a way this import does not read (it reads zlib): convert it with "osmium cat".',
  'road-network.pbf-features': '{fileName} needs features this import does not read: {features}.',
  'road-network.bad-xml': '{fileName} is not well-formed OSM XML (line {line}): {problem}',
  'road-network.too-many-ways':
    '{fileName} holds too many roads to import at once: cut the region out with "osmium extract" first.',
  'road-network.no-roads': '{fileName} has no roads or paths: no way with a highway tag, nor a ferry route.',
  'road-network.nothing-in-area':
    'None of the {ways:number} roads and paths of {fileName} lies within the region or its 30 km margin: is it the extract of this region?',
  'road-network.boundary-gone': 'This alliance has no region boundary any more.',
  'road-network.no-boundary':
    'This alliance has no region boundary: draw or import it in the settings first, so that the roads can be clipped to it.',
  'road-network.import-running': 'A road network is being imported already: wait for it to end.',
  'road-network.not-active': 'Only the speeds of the active road network can be changed.',
  'road-network.interrupted': 'The server stopped while this extract was being imported. Import it again.',
  'road-network.import-unexpected':
    'The road network could not be imported because of an error on our side; nothing was kept.',
} as const;

export type ErrorCode = keyof typeof errorMessages;
