import type { FastifyRequest } from 'fastify';
import { GeoFileError } from '../domain/geo-files/geoFileError.js';
import { type CodedMessage, codedFrom, said, UserError } from '../domain/messages/userError.js';
import { type GeoFileReading, readGeoFile } from '../domain/geo-files/readGeoFile.js';

/** An upload that cannot be used, with its status: 400 for a request or file that is wrong, 413 for a large one. */
export class GeoFileUploadError extends UserError {
  constructor(
    override readonly statusCode: 400 | 413,
    message: CodedMessage,
  ) {
    super(statusCode, message);
  }
}

export interface GeoFileUpload {
  reading: GeoFileReading;
  fileName: string;
  /** The form's other fields, as text. */
  fields: Record<string, string>;
}

/**
 * Reads a multipart/form-data request with one part named "file" (GeoJSON, a zipped Shapefile or a GeoPackage) and a few
 * text fields; the field "layer" names the GeoPackage's layer to read (its first feature table otherwise). The multipart plugin must be registered with `limits.fileSize` set to `maxBytes`.
 */
export async function geoFileUpload(request: FastifyRequest, maxBytes: number): Promise<GeoFileUpload> {
  if (!request.isMultipart()) {
    throw new GeoFileUploadError(400, said('upload.not-multipart'));
  }
  const fields: Record<string, string> = {};
  let file: { bytes: Buffer; name: string } | undefined;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'field') {
        fields[part.fieldname] = String(part.value);
      } else if (part.fieldname !== 'file' || file) {
        part.file.resume();
      } else {
        file = { bytes: await part.toBuffer(), name: part.filename || 'The file' };
      }
    }
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new GeoFileUploadError(
        413,
        said('upload.file-too-large', { limit: `${maxBytes / 1024 / 1024} MiB`, limitBytes: maxBytes }),
      );
    }
    if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') {
      throw new GeoFileUploadError(400, said('upload.one-file'));
    }
    throw error;
  }
  if (!file) throw new GeoFileUploadError(400, said('upload.no-file'));
  try {
    const layer = fields.layer?.trim() || undefined;
    return {
      reading: await readGeoFile(new Uint8Array(file.bytes), file.name, { layer }),
      fileName: file.name,
      fields,
    };
  } catch (error) {
    if (error instanceof GeoFileError) throw new GeoFileUploadError(400, codedFrom(error));
    throw error;
  }
}
