// How ffmpeg and ffprobe open uploaded media: local files only, and only the container formats
// of real audio and video (no playlists or concat scripts that could make them read other
// files or the network).

/** Demuxers allowed to read uploaded media. */
export const ALLOWED_DEMUXERS = [
  'mov,mp4,m4a,3gp,3g2,mj2',
  'matroska,webm',
  'avi',
  'ogg',
  'mp3',
  'wav',
  'flac',
  'aac',
  'amr',
  'amrnb',
  'amrwb',
  'caf',
  'aiff',
  'asf',
  'flv',
  'mpegts',
  'w64',
].join(',');

/** Options placed before `-i` so that the input is read safely. */
export const SAFE_INPUT = ['-protocol_whitelist', 'file', '-format_whitelist', ALLOWED_DEMUXERS];
