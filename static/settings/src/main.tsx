import { createRoot } from 'react-dom/client';
import '../../shared/src/base.css';
import { SettingsApp } from './app';

const container = document.getElementById('root');
if (container === null) throw new Error('index.html has no #root element');
createRoot(container).render(<SettingsApp />);
